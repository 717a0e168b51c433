using System.Globalization;

namespace TokenVerifier.IntegrationTests.Packaging;

/// <summary>
/// Every library and tool of <c>src/</c> packed once into a local feed, under a version no cache has seen, shared by the tests
/// that consume the packages the way a user does.
/// </summary>
public sealed class PackedFeed : IAsyncLifetime
{
    private readonly string _work = System.IO.Directory.CreateTempSubdirectory("tv-packages-").FullName;

    public string Directory => Path.Combine(_work, "feed");

    public string Work => _work;

    // A unique version keeps the machine's package cache from serving an older build of the same version.
    public string Version { get; } = "0.2.0-ci." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);

    /// <summary>The library package ids: one per library project under <c>src/</c>, each named after its project.</summary>
    public IReadOnlyList<string> PackageIds { get; } = ProjectNames(tools: false);

    /// <summary>The .NET tool package ids (<c>PackAsTool</c> projects under <c>src/</c>), each named after its project.</summary>
    public IReadOnlyList<string> ToolIds { get; } = ProjectNames(tools: true);

    public string PackOutput { get; private set; } = "";

    public int PackExitCode { get; private set; }

    public async Task InitializeAsync()
    {
        (PackExitCode, PackOutput) = await DotnetCli.RunAsync(DotnetCli.RepositoryRoot(), TimeSpan.FromMinutes(4),
            "pack", "TokenVerifier.sln", "-c", DotnetCli.BuildConfiguration(), "--no-build", "-o", Directory, "-p:PackageVersion=" + Version);
    }

    private static string[] ProjectNames(bool tools) =>
        [.. System.IO.Directory.EnumerateFiles(Path.Combine(DotnetCli.RepositoryRoot(), "src"), "*.csproj", SearchOption.AllDirectories)
            .Where(project => File.ReadAllText(project).Contains("<PackAsTool>true</PackAsTool>", StringComparison.Ordinal) == tools)
            .Select(Path.GetFileNameWithoutExtension)
            .Order(StringComparer.Ordinal)!];

    public Task DisposeAsync()
    {
        System.IO.Directory.Delete(_work, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>A nuget.config that sees the local feed first, then the public registry for everything else.</summary>
    public string NuGetConfig() => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <clear />
            <add key="local" value="{Directory}" />
            <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
          </packageSources>
        </configuration>
        """;
}
