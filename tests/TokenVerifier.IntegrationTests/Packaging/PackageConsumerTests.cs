using System.Globalization;
using System.IO.Compression;

namespace TokenVerifier.IntegrationTests.Packaging;

/// <summary>
/// Packs the libraries, then publishes an app that knows them only as NuGet packages from a local feed as Native AOT
/// (trim and AOT warnings are errors) and runs the native binary end to end.
/// </summary>
[Collection(SharedPackedFeed.Name)]
public sealed class PackageConsumerTests(PackedFeed feed)
{
    [Fact]
    public async Task An_app_consuming_the_packed_packages_publishes_as_native_AOT_and_authenticates()
    {
        Assert.True(feed.PackExitCode == 0, feed.PackOutput);
        var version = feed.Version;
        foreach (var id in feed.PackageIds)
        {
            using var package = ZipFile.OpenRead(Path.Combine(feed.Directory, $"{id}.{version}.nupkg"));
            var entries = package.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("README.md", entries);
            Assert.Contains("LICENSE", entries);
            Assert.Contains($"lib/net10.0/{id}.dll", entries);
            Assert.Contains($"lib/net10.0/{id}.xml", entries);

            using var symbols = ZipFile.OpenRead(Path.Combine(feed.Directory, $"{id}.{version}.snupkg"));
            Assert.Contains($"lib/net10.0/{id}.pdb", symbols.Entries.Select(e => e.FullName));
        }

        var app = Path.Combine(feed.Work, "consumer");
        Directory.CreateDirectory(app);
        await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), feed.NuGetConfig());
        await File.WriteAllTextAsync(Path.Combine(app, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <PublishAot>true</PublishAot>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="TokenVerifier.AspNetCore" Version="{version}" />
                <PackageReference Include="TokenVerifier.Testing" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), """
            using System.Security.Claims;
            using TokenVerifier.AspNetCore;
            using TokenVerifier.Keys;
            using TokenVerifier.Testing;

            using var pool = new LocalUserPool("us-east-1_Consumer1");
            var builder = WebApplication.CreateSlimBuilder(args);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Services.AddHttpClient(SigningKeyCacheRegistry.HttpClientName).ConfigurePrimaryHttpMessageHandler(pool.CreateJwksHandler);
            builder.Services.AddUserPoolAuth(o =>
            {
                o.Validation.UserPoolId = pool.UserPoolId;
                o.Validation.ClientIds.Add(pool.DefaultClientId);
            });
            var app = builder.Build();
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapGet("/me", (ClaimsPrincipal user) => user.Identity!.Name).RequireAuthorization();
            await app.StartAsync();

            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            var anonymous = (int)(await http.GetAsync("/me")).StatusCode;
            http.DefaultRequestHeaders.Authorization = new("Bearer", pool.MintAccessToken());
            var name = await http.GetStringAsync("/me");
            http.DefaultRequestHeaders.Authorization = new("Bearer", pool.MintIdToken());
            var idToken = (int)(await http.GetAsync("/me")).StatusCode;
            Console.WriteLine($"anonymous={anonymous} name={name} idToken={idToken}");
            await app.StopAsync();
            """);

        var output = Path.Combine(app, "out");
        var (publishExit, publishOutput) = await DotnetCli.RunAsync(app, TimeSpan.FromMinutes(8), "publish", "-c", "Release", "-o", output);
        Assert.True(publishExit == 0, publishOutput);
        Assert.DoesNotContain("warning IL", publishOutput, StringComparison.Ordinal);

        var native = Path.Combine(output, "Consumer");
        Assert.True(File.Exists(native), "no native executable in " + output);
        Assert.False(File.Exists(Path.Combine(output, "Consumer.dll")), "the publish was not native");
        var (runExit, runOutput) = await ProcessRunner.RunAsync(native, app, TimeSpan.FromMinutes(1));
        Assert.True(runExit == 0, runOutput);
        Assert.Contains("anonymous=401 name=alice idToken=401", runOutput, StringComparison.Ordinal);
    }
}
