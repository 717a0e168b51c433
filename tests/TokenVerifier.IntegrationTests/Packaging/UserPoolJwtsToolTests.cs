using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace TokenVerifier.IntegrationTests.Packaging;

/// <summary>
/// The <c>user-pool-jwts</c> tool as a developer uses it: installed from the local feed, <c>init</c> on a copy of the sample
/// (which knows TokenVerifier only as packages), <c>create</c>, then the sample started in Development accepts the token,
/// with HOME (so the user secrets) in a directory of the test's own.
/// </summary>
[Collection(SharedPackedFeed.Name)]
public sealed partial class UserPoolJwtsToolTests(PackedFeed feed)
{
    private const string ToolId = "TokenVerifier.UserPoolJwts";

    [Fact]
    public async Task The_tool_from_the_feed_makes_the_sample_trust_the_tokens_it_mints()
    {
        Assert.True(feed.PackExitCode == 0, feed.PackOutput);
        Assert.Contains(ToolId, feed.ToolIds);
        AssertIsToolPackage(Path.Combine(feed.Directory, $"{ToolId}.{feed.Version}.nupkg"));

        var root = Path.Combine(feed.Work, "user-pool-jwts");
        var home = Path.Combine(root, "home");
        var tools = Path.Combine(root, "tools");
        Directory.CreateDirectory(home);
        var developer = DeveloperEnvironment(home);

        // Only the local feed: the tool package carries everything it runs on.
        var feedOnly = Path.Combine(root, "nuget.config");
        await File.WriteAllTextAsync(feedOnly, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration><packageSources><clear /><add key="local" value="{feed.Directory}" /></packageSources></configuration>
            """);
        var install = await ProcessRunner.RunAsync("dotnet", root, TimeSpan.FromMinutes(3), developer,
            "tool", "install", ToolId, "--version", feed.Version, "--tool-path", tools, "--configfile", feedOnly);
        Assert.True(install.ExitCode == 0, install.Output + install.Error);
        var tool = Path.Combine(tools, "user-pool-jwts");

        var app = await CopySampleAsync(Path.Combine(root, "app"));
        var init = await ProcessRunner.RunAsync(tool, root, TimeSpan.FromMinutes(1), developer, "init", "--project", app);
        Assert.True(init.ExitCode == 0, init.Output + init.Error);
        var secretsId = UserSecretsId().Match(await File.ReadAllTextAsync(Path.Combine(app, "WebApi.csproj"))).Groups["id"].Value;
        var secretsFile = Path.Combine(home, ".microsoft", "usersecrets", secretsId, "secrets.json");
        Assert.True(File.Exists(secretsFile), init.Output);
        var keyId = Secret(secretsFile, "UserPoolJwts:KeyId");

        // Idempotent: a second init keeps the key, so tokens minted before still verify.
        var again = await ProcessRunner.RunAsync(tool, app, TimeSpan.FromMinutes(1), developer, "init");
        Assert.True(again.ExitCode == 0, again.Output + again.Error);
        Assert.Equal(keyId, Secret(secretsFile, "UserPoolJwts:KeyId"));
        Assert.Contains(keyId, Secret(secretsFile, "UserPool:Jwks"), StringComparison.Ordinal);

        // The private key lives in the user secrets only, never in the project.
        var privateKey = Secret(secretsFile, "UserPoolJwts:PrivateKey");
        Assert.DoesNotContain(Directory.EnumerateFiles(app, "*", SearchOption.AllDirectories), f => File.ReadAllText(f).Contains(privateKey[..40], StringComparison.Ordinal));

        var build = await DotnetCli.RunAsync(app, TimeSpan.FromMinutes(6), "build", "-c", "Release", "-o", Path.Combine(app, "out"));
        Assert.True(build.ExitCode == 0, build.Output);

        var reader = await CreateAsync(tool, app, developer, "--user", "alice", "--scope", "orders/read", "--group", "admins");
        var writer = await CreateAsync(tool, app, developer, "--user", "bob", "--scope", "orders/write");
        var idToken = await CreateAsync(tool, app, developer, "--token-use", "id");

        using var sample = await LaunchedApp.StartAsync(Path.Combine(app, "out", "WebApi.dll"),
            new Dictionary<string, string?>(developer) { ["ASPNETCORE_ENVIRONMENT"] = "Development" }, TimeSpan.FromMinutes(1));
        using var http = new HttpClient { BaseAddress = sample.BaseAddress };

        // UserPool:Jwks in the user secrets counts as a configured pool: the embedded development pool steps aside.
        using (var index = JsonDocument.Parse(await http.GetStringAsync(new Uri("/", UriKind.Relative))))
        {
            Assert.False(index.RootElement.GetProperty("localPool").GetBoolean(), sample.Log);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync(new Uri("/dev/token", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await GetAsync(http, "/orders", reader));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(http, "/admin/stats", reader));
        Assert.Equal(HttpStatusCode.Forbidden, await GetAsync(http, "/orders", writer));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(http, "/orders", idToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(http, "/orders", token: null));
    }

    private static async Task<HttpStatusCode> GetAsync(HttpClient http, string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Runs <c>create</c>; its standard output is the token and nothing else, as <c>$(user-pool-jwts create)</c> needs.</summary>
    private static async Task<string> CreateAsync(string tool, string app, IReadOnlyDictionary<string, string?> environment, params string[] options)
    {
        var (exitCode, output, error) = await ProcessRunner.RunAsync(tool, app, TimeSpan.FromMinutes(1), environment, ["create", .. options]);
        Assert.True(exitCode == 0, output + error);
        var token = output.TrimEnd('\n', '\r');
        Assert.Matches(@"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$", token);
        return token;
    }

    /// <summary>
    /// A developer's machine of the test's own: user secrets (and the dotnet CLI's files) under <paramref name="home"/>,
    /// packages still from the machine's cache so nothing is downloaded again.
    /// </summary>
    private static Dictionary<string, string?> DeveloperEnvironment(string home) => new()
    {
        ["HOME"] = home,
        ["DOTNET_CLI_HOME"] = home,
        ["APPDATA"] = null,
        ["DOTNET_USER_SECRETS_FALLBACK_DIR"] = null,
        ["NUGET_PACKAGES"] = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages
            ? packages
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
    };

    /// <summary>
    /// Copies samples/WebApi (without build outputs) and makes it consume TokenVerifier as packages of the feed, so the
    /// repository's sample is never modified.
    /// </summary>
    private async Task<string> CopySampleAsync(string target)
    {
        var repository = DotnetCli.RepositoryRoot();
        var sample = Path.Combine(repository, "samples", "WebApi");
        foreach (var file in Directory.EnumerateFiles(sample, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(sample, file);
            if (relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal) || relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(target, relative))!);
            File.Copy(file, Path.Combine(target, relative));
        }

        var project = Path.Combine(target, "WebApi.csproj");
        var references = new List<string>();
        var text = ProjectReference().Replace(await File.ReadAllTextAsync(project), match =>
        {
            references.Add(match.Groups["id"].Value);
            return $"<PackageReference Include=\"{match.Groups["id"].Value}\" />";
        });
        Assert.NotEmpty(references);
        await File.WriteAllTextAsync(project, text);
        await File.WriteAllTextAsync(Path.Combine(target, "nuget.config"), feed.NuGetConfig());
        await File.WriteAllTextAsync(Path.Combine(target, "Directory.Build.props"), """
            <Project>
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
              </PropertyGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(target, "Directory.Packages.props"), $"""
            <Project>
              <Import Project="{Path.Combine(repository, "Directory.Packages.props")}" />
              <ItemGroup>
            {string.Concat(references.Select(id => $"    <PackageVersion Include=\"{id}\" Version=\"{feed.Version}\" />\n"))}  </ItemGroup>
            </Project>
            """);
        return target;
    }

    private static void AssertIsToolPackage(string nupkg)
    {
        using var package = ZipFile.OpenRead(nupkg);
        var entries = package.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("tools/net10.0/any/DotnetToolSettings.xml", entries);
        Assert.Contains("tools/net10.0/any/user-pool-jwts.dll", entries);
        Assert.Contains("README.md", entries);
        Assert.Contains("LICENSE", entries);
        // It runs on the test kit's signer; no test framework comes with it.
        Assert.DoesNotContain(entries, e => e.Contains("xunit", StringComparison.OrdinalIgnoreCase));
    }

    private static string Secret(string secretsFile, string key)
    {
        using var secrets = JsonDocument.Parse(File.ReadAllText(secretsFile));
        return secrets.RootElement.GetProperty(key).GetString()!;
    }

    [GeneratedRegex("""<ProjectReference Include="[^"]*/(?<id>[^/"]+)\.csproj" />""")]
    private static partial Regex ProjectReference();

    [GeneratedRegex("<UserSecretsId>(?<id>[^<]+)</UserSecretsId>")]
    private static partial Regex UserSecretsId();
}
