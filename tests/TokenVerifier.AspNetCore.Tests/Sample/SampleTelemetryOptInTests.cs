using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace TokenVerifier.AspNetCore.Tests.Sample;

/// <summary>The sample's console telemetry is opt-in: off by default, and nothing in its launch profile turns it on.</summary>
public sealed class SampleTelemetryOptInTests
{
    [Fact]
    public void The_launch_profile_sets_only_the_environment()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "TokenVerifier.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        using var profile = JsonDocument.Parse(File.ReadAllText(Path.Combine(root.FullName, "samples/WebApi/Properties/launchSettings.json")));
        var variables = profile.RootElement.GetProperty("profiles").GetProperty("WebApi").GetProperty("environmentVariables");

        Assert.Equal(["ASPNETCORE_ENVIRONMENT"], variables.EnumerateObject().Select(v => v.Name));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("false", false)]
    [InlineData("true", true)]
    public void OpenTelemetry_is_wired_only_when_asked(string? setting, bool wired)
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            if (setting is not null)
            {
                host.UseSetting("Telemetry:Console", setting);
            }
        });

        Assert.Equal(wired, factory.Services.GetService<MeterProvider>() is not null);
    }
}
