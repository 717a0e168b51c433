using System.Security.Claims;
using TokenVerifier.AspNetCore;
using TokenVerifier.AspNetCore.Authorization;
using TokenVerifier.Claims;
using WebApi.Authentication;
using WebApi.Development;

var builder = WebApplication.CreateBuilder(args);

// Development without a configured pool runs on an embedded, real signing pool; with a pool configured (or outside
// Development) the app verifies real Cognito tokens and the token endpoint does not exist.
var localPool = LocalPoolSetup.ShouldUse(builder) ? LocalPoolSetup.Add(builder) : null;

builder.Services.AddUserPoolAuth(builder.Configuration);
builder.Services.AddControllers();

var app = builder.Build();

app.UseAuthentication();
app.UseAuthorization();

app.MapGet("/", () => Results.Ok(new { service = "TokenVerifier sample", localPool = localPool is not null }));

app.MapGet("/me", (ClaimsPrincipal user) => Results.Ok(new
{
    name = user.Identity!.Name,
    sub = user.FindFirstValue(UserPoolClaimTypes.Subject),
    tokenUse = user.FindFirstValue(UserPoolClaimTypes.TokenUse),
    groups = user.FindAll(UserPoolClaimTypes.Groups).Select(c => c.Value),
    scopes = user.FindAll(UserPoolClaimTypes.Scope).Select(c => c.Value),
})).RequireAuthorization();

// A policy declared in appsettings.json ("Policies": { "orders.read": { "Scopes": ["orders/read"] } }).
app.MapGet("/orders", () => Results.Ok(new[] { new { id = 1, item = "coffee" } })).RequireAuthorization("orders.read");

// Requirements declared in code.
app.MapPost("/orders", () => Results.Created("/orders/2", new { id = 2 })).RequireScope("orders/write");

var admin = app.MapGroup("/admin").RequireGroup("admins");
admin.MapGet("/stats", () => Results.Ok(new { users = 42 }));

app.MapControllers();
app.MapSignOutEndpoint();

if (localPool is not null)
{
    app.MapDevTokenEndpoint(localPool);
}

app.Run();

/// <summary>The sample's entry point, public for <c>WebApplicationFactory</c>.</summary>
public partial class Program;
