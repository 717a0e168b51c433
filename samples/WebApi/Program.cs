using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using TokenVerifier.AspNetCore.Health;
using TokenVerifier.Claims;
using TokenVerifier.Diagnostics;
using WebApi.Authentication;
using WebApi.Hubs;

var builder = WebApplication.CreateBuilder(args);

// Development without a configured pool runs on an embedded, real signing pool; with a pool configured anywhere (or
// outside Development) this adds nothing, the app verifies real Cognito tokens and the token endpoint does not exist.
var localPool = builder.Services.AddLocalUserPool(builder.Configuration, builder.Environment);

var authentication = builder.Services.AddUserPoolAuth(builder.Configuration);
var idTokens = authentication.TryAddUserPool(builder.Configuration, OptionalSchemes.IdTokens, "UserPoolIdTokens");
var allPools = authentication.TryAddUserPool(builder.Configuration, OptionalSchemes.AllPools, "UserPoolAll");
var behindAlb = authentication.TryAddUserPoolAlb(builder.Configuration);

// With a Redis server configured, every instance shares the revocations (TokenVerifier.Redis package); the native store
// publishes each one to every instance, the IDistributedCache one relies on the local cache's lifetime.
if (builder.Configuration["UserPool:Revocation:Redis"] is { Length: > 0 } redis)
{
    _ = builder.Configuration.GetValue<bool>("Sample:RedisNativeRevocation")
        ? authentication.AddRedisNativeRevocation(redis)
        : authentication.AddRedisRevocation(redis);
}

builder.Services.AddControllers();
builder.Services.AddSignalR();
// Opt-in: Telemetry__Console=true prints the TokenVerifier meter and spans to the console (off by default).
if (builder.Configuration.GetValue<bool>("Telemetry:Console"))
{
    builder.Services.AddOpenTelemetry()
        .WithMetrics(metrics => metrics.AddMeter(TokenVerifierMetrics.MeterName).AddConsoleExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 15_000))
        .WithTracing(tracing => tracing.AddSource(TokenVerifierActivitySource.Name).AddConsoleExporter());
}

builder.Services.AddHealthChecks().AddUserPoolHealthChecks().AddUserPoolRevocation();
builder.Services.AddOpenApi(options => options.AddUserPoolSecurity());

var app = builder.Build();

app.MapOpenApi();
// Status for everyone; check details (key addresses, fetch errors) for local requests and members of "admins".
app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = UserPoolHealthResponseWriter.Create(detailsPolicy: "admins") });
if (app.Environment.IsDevelopment())
{
    app.UseSwaggerUI(options => options.SwaggerEndpoint("/openapi/v1.json", "TokenVerifier sample"));
}

app.UseAuthentication();
app.UseAuthorization();

app.MapGet("/", () => Results.Ok(new { service = "TokenVerifier sample", localPool = localPool is not null }));

app.MapGet("/me", DescribeUser).RequireAuthorization();

// Present only when their schemes are configured: a front-end's ID token, and tokens from any of several pools.
if (idTokens)
{
    app.MapGet("/profile", DescribeUser).RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = OptionalSchemes.IdTokens });
}

if (allPools)
{
    app.MapGet("/any-pool/me", DescribeUser).RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = OptionalSchemes.AllPools });
}

if (behindAlb)
{
    app.MapAlbEndpoints(DescribeUser);
}

// A policy declared in appsettings.json ("Policies": { "orders.read": { "Scopes": ["orders/read"] } }).
app.MapGet("/orders", () => Results.Ok(new[] { new { id = 1, item = "coffee" } })).RequireAuthorization("orders.read");

// Requirements declared in code; several values mean any one of them.
app.MapGet("/orders/{id:int}", (int id) => Results.Ok(new { id, item = "coffee" })).RequireScope("orders/read", "orders/admin");
app.MapPost("/orders", () => Results.Created("/orders/2", new { id = 2 })).Produces(StatusCodes.Status201Created).RequireScope("orders/write");

var admin = app.MapGroup("/admin").RequireGroup("admins");
admin.MapGet("/stats", () => Results.Ok(new { users = 42 }));

app.MapControllers();

// Browsers' WebSockets cannot send headers: UserPool:QueryTokenPaths lets tokens arrive as ?access_token= under /hubs only.
app.MapHub<OrdersHub>("/hubs/orders");
app.MapSignOutEndpoint();

// Mapped only in Development with the embedded pool, and answers loopback requests only.
app.MapDevTokenEndpoint();

app.Run();

static IResult DescribeUser(ClaimsPrincipal user) => Results.Ok(new
{
    name = user.Identity!.Name,
    sub = user.FindFirstValue(UserPoolClaimTypes.Subject),
    tokenUse = user.FindFirstValue(UserPoolClaimTypes.TokenUse),
    groups = user.FindAll(UserPoolClaimTypes.Groups).Select(c => c.Value),
    scopes = user.FindAll(UserPoolClaimTypes.Scope).Select(c => c.Value),
});

/// <summary>The sample's entry point, public for <c>WebApplicationFactory</c>.</summary>
public partial class Program;
