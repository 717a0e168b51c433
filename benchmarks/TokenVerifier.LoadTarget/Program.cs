using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using TokenVerifier.AspNetCore;
using TokenVerifier.Benchmarks;
using TokenVerifier.Keys;
using TokenVerifier.LoadTarget;
using TokenVerifier.Testing;

// The app benchmarks/http/run.sh drives with wrk: one endpoint, GET /me, answering with the caller's user name, behind
// no authentication, our handler, or a plain AddJwtBearer set up for the same pool. It mints its tokens at start (its
// keys live only in this process), writes them to a file, then writes the address it listens on to another file.
// benchmarks/flood/run.sh adds forged tokens and a JWKS endpoint of its own that counts fetches (--forged, --jwks-http).
var settings = LoadTargetSettings.Parse(args);
using var pool = new LocalUserPool("us-east-1_LoadTest1");
await using var jwksServer = settings.JwksAddressFile is null ? null : await JwksServer.StartAsync(pool);

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);

switch (settings.Mode)
{
    case LoadTargetMode.UserPool:
        // The keys come from the pool's JWKS handler in process, as the sample's Development mode does, or over loopback
        // HTTP from the counting endpoint.
        if (jwksServer is null)
        {
            builder.Services.AddHttpClient(SigningKeyCacheRegistry.HttpClientName).ConfigurePrimaryHttpMessageHandler(pool.CreateJwksHandler);
        }

        builder.Services.AddUserPoolAuth(options =>
        {
            options.Validation.UserPoolId = pool.UserPoolId;
            options.Validation.ClientIds = [pool.DefaultClientId];
            options.Validation.JwksUri = jwksServer?.JwksUri;
            options.RefusedTokenDelay = settings.RefusedTokenDelay;
        });
        break;
    case LoadTargetMode.UserPoolFromConfiguration:
        // The README's one line, with the section an appsettings.json would hold.
        builder.Services.AddHttpClient(SigningKeyCacheRegistry.HttpClientName).ConfigurePrimaryHttpMessageHandler(pool.CreateJwksHandler);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["UserPool:UserPoolId"] = pool.UserPoolId,
            ["UserPool:ClientIds:0"] = pool.DefaultClientId,
            ["UserPool:RefusedTokenDelay"] = settings.RefusedTokenDelay.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        });
        builder.Services.AddUserPoolAuth(builder.Configuration);
        break;
    case LoadTargetMode.StaticPrincipal:
        builder.Services.AddAuthorization();
        builder.Services.AddAuthentication(StaticPrincipalHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, StaticPrincipalHandler>(StaticPrincipalHandler.SchemeName, null);
        break;
    case LoadTargetMode.JwtBearer:
        builder.Services.AddAuthorization();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options => JwtBearerSetup.Configure(options, pool));
        break;
}

var app = builder.Build();
if (settings.Mode != LoadTargetMode.None)
{
    app.UseAuthentication();
    app.UseAuthorization();
}

var me = app.MapGet("/me", (ClaimsPrincipal user) => Results.Text(user.Identity?.Name ?? "load-user-0000"));
if (settings.Mode != LoadTargetMode.None)
{
    me.RequireAuthorization();
}

var tokens = new string[settings.TokenCount];
for (var i = 0; i < tokens.Length; i++)
{
    tokens[i] = pool.MintAccessToken(BenchmarkTokenOptions.Create($"load-user-{i:D4}"));
}

await app.StartAsync();
await File.WriteAllLinesAsync(settings.TokensFile, tokens);
if (settings.ForgedFile is not null)
{
    await File.WriteAllLinesAsync(settings.ForgedFile, ForgedTokens.Create(tokens));
}

if (jwksServer is not null)
{
    await File.WriteAllTextAsync(settings.JwksAddressFile!, jwksServer.Address);
}

var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
await File.WriteAllTextAsync(settings.ReadyFile, address);
await app.WaitForShutdownAsync();

/// <summary>The app's entry point.</summary>
public partial class Program;
