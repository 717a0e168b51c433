using System.Diagnostics.CodeAnalysis;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using TokenVerifier.AspNetCore;
using TokenVerifier.Keys;
using TokenVerifier.Testing;

namespace TokenVerifier.Benchmarks;

/// <summary>
/// What one request costs in authentication, without the network: a new request scope and <c>HttpContext</c> carrying
/// <c>Authorization: Bearer &lt;token&gt;</c>, <see cref="AuthenticationHttpContextExtensions.AuthenticateAsync(HttpContext)"/>
/// through ASP.NET Core's authentication service, then <c>User.Identity.Name</c> read as the load target's <c>/me</c> does.
/// The baseline is a handler that returns one prebuilt principal: what the framework costs around any bearer handler.
/// </summary>
[MemoryDiagnoser]
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet owns the lifetime: [GlobalCleanup] releases the fields; the class must stay unsealed.")]
public class AuthenticationBenchmarks
{
    private LocalUserPool _pool = null!;
    private string _header = null!;
    private ServiceProvider _static = null!;
    private ServiceProvider _ours = null!;
    private ServiceProvider _jwtBearer = null!;

    /// <summary>Builds the three service providers and checks each accepts the token (which also loads our keys).</summary>
    [GlobalSetup]
    public void Setup()
    {
        _pool = new LocalUserPool("us-east-1_Benchmark2");
        _header = "Bearer " + _pool.MintAccessToken(BenchmarkTokenOptions.Create("benchmark-user"));

        _static = Provider(services => services.AddAuthentication(StaticPrincipalHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, StaticPrincipalHandler>(StaticPrincipalHandler.SchemeName, null));
        _ours = Provider(services =>
        {
            services.AddHttpClient(SigningKeyCacheRegistry.HttpClientName).ConfigurePrimaryHttpMessageHandler(_pool.CreateJwksHandler);
            services.AddUserPoolAuth(options =>
            {
                options.Validation.UserPoolId = _pool.UserPoolId;
                options.Validation.ClientIds = [_pool.DefaultClientId];
            });
        });
        _jwtBearer = Provider(services => services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options => JwtBearerSetup.Configure(options, _pool)));

        Check(StaticPrincipal(), "the static handler", "load-user-0000");
        Check(Ours(), "our handler", "benchmark-user");
        Check(JwtBearer(), "JwtBearer", "benchmark-user");
    }

    /// <summary>Releases the providers and the pool.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _static.Dispose();
        _ours.Dispose();
        _jwtBearer.Dispose();
        _pool.Dispose();
    }

    /// <summary>The floor: a handler that accepts everyone with one prebuilt principal.</summary>
    [Benchmark(Baseline = true, Description = "static principal (framework floor)")]
    public Task<string?> StaticPrincipal() => AuthenticateAsync(_static);

    /// <summary>Our handler with a repeated token: a validated-token cache hit, a new principal.</summary>
    [Benchmark(Description = "AddUserPoolAuth, repeated token")]
    public Task<string?> Ours() => AuthenticateAsync(_ours);

    /// <summary>AddJwtBearer set up for the same pool, with a repeated token (it has no result cache).</summary>
    [Benchmark(Description = "AddJwtBearer, repeated token")]
    public Task<string?> JwtBearer() => AuthenticateAsync(_jwtBearer);

    private static ServiceProvider Provider(Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        configure(services);
        return services.BuildServiceProvider(validateScopes: true);
    }

    private static void Check(Task<string?> name, string row, string expected)
    {
        var actual = name.GetAwaiter().GetResult();
        if (actual != expected)
        {
            throw new InvalidOperationException($"{row} authenticated '{actual ?? "nobody"}', expected '{expected}'.");
        }
    }

    private async Task<string?> AuthenticateAsync(ServiceProvider provider)
    {
        await using var scope = provider.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers.Authorization = _header;
        var result = await context.AuthenticateAsync();
        return result.Principal?.Identity?.Name;
    }
}
