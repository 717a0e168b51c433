using System.Text.Json;
using Xunit.Abstractions;

namespace TokenVerifier.IntegrationTests.Packaging;

/// <summary>
/// A consumer referencing one package, by package reference only, gets exactly that package's dependency closure: the
/// main packages bring no Redis client, no JwtBearer, no OpenAPI and no test framework; each optional integration brings
/// its own dependency and nothing of the others.
/// </summary>
[Collection(SharedPackedFeed.Name)]
public sealed class PackageClosureTests(PackedFeed feed, ITestOutputHelper output)
{
    private const string Redis = "StackExchange.Redis";
    private const string RedisPipelines = "Pipelines.Sockets.Unofficial";
    private const string JwtBearer = "Microsoft.AspNetCore.Authentication.JwtBearer";
    private const string OpenApi = "Microsoft.AspNetCore.OpenApi";
    private const string MvcTesting = "Microsoft.AspNetCore.Mvc.Testing";
    private const string Xunit = "xunit";

    private static readonly string[] Optional = [Redis, RedisPipelines, JwtBearer, OpenApi, MvcTesting, Xunit];

    // What each package must bring of the optional dependencies; every other optional one is forbidden.
    private static readonly Dictionary<string, string[]> Brings = new(StringComparer.Ordinal)
    {
        ["TokenVerifier"] = [],
        ["TokenVerifier.AspNetCore"] = [],
        ["TokenVerifier.AspNetCore.Development"] = [],
        ["TokenVerifier.AspNetCore.JwtBearer"] = [JwtBearer],
        ["TokenVerifier.AspNetCore.OpenApi"] = [OpenApi],
        ["TokenVerifier.Redis"] = [Redis, RedisPipelines],
        ["TokenVerifier.Testing"] = [],
        ["TokenVerifier.Testing.AspNetCore"] = [MvcTesting],
    };

    [Fact]
    public void Every_library_is_packed_and_has_its_closure_rule()
    {
        Assert.True(feed.PackExitCode == 0, feed.PackOutput);
        Assert.Equal(Brings.Keys.Order(StringComparer.Ordinal), feed.PackageIds);
    }

    [Fact]
    public async Task Each_package_brings_only_its_own_dependencies()
    {
        Assert.True(feed.PackExitCode == 0, feed.PackOutput);
        var closures = await Task.WhenAll(Brings.Keys.Select(RestoreAsync));

        foreach (var (id, libraries) in closures)
        {
            output.WriteLine($"{id}: {string.Join(", ", libraries)}");
            foreach (var dependency in Optional)
            {
                var has = libraries.Any(l => l.Equals(dependency, StringComparison.OrdinalIgnoreCase) || l.StartsWith(dependency + ".", StringComparison.OrdinalIgnoreCase) && dependency == Xunit);
                Assert.True(has == Brings[id].Contains(dependency), $"{id} {(has ? "brings" : "lacks")} {dependency}: {string.Join(", ", libraries)}");
            }
        }
    }

    private async Task<(string Id, IReadOnlyList<string> Libraries)> RestoreAsync(string id)
    {
        var app = Path.Combine(feed.Work, "closure-" + id);
        Directory.CreateDirectory(app);
        await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), feed.NuGetConfig());
        await File.WriteAllTextAsync(Path.Combine(app, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{id}" Version="{feed.Version}" />
              </ItemGroup>
            </Project>
            """);
        var (exit, restoreOutput) = await DotnetCli.RunAsync(app, TimeSpan.FromMinutes(4), "restore");
        Assert.True(exit == 0, $"{id}: {restoreOutput}");

        using var assets = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(app, "obj", "project.assets.json")));
        var libraries = assets.RootElement.GetProperty("libraries").EnumerateObject()
            .Select(l => l.Name.Split('/')[0])
            .Where(name => !name.Equals(id, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        return (id, libraries);
    }
}
