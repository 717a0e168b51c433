using Microsoft.AspNetCore.Http;
using TokenVerifier.Testing;
using TokenVerifier.Validation;

namespace TokenVerifier.AspNetCore.Development;

/// <summary>The body of <c>POST /dev/token</c>: checks the request and mints from the embedded pool.</summary>
internal static class DevTokenMinter
{
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(24);

    public static IResult Mint(LocalUserPool pool, DevTokenRequest? request)
    {
        request ??= new DevTokenRequest();
        var tokenUse = request.TokenUse ?? TokenUses.Access;
        if (tokenUse is not (TokenUses.Access or TokenUses.Id))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["tokenUse"] = ["Use 'access' or 'id'."] });
        }

        var lifetime = TimeSpan.FromSeconds(request.LifetimeSeconds ?? 3600);
        if (lifetime <= TimeSpan.Zero || lifetime > MaxLifetime)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["lifetimeSeconds"] = ["Use 1 to 86400 seconds (Cognito's range is 5 minutes to 24 hours)."] });
        }

        var options = new LocalTokenOptions { Username = string.IsNullOrWhiteSpace(request.Username) ? "alice" : request.Username, Lifetime = lifetime };
        foreach (var group in request.Groups ?? [])
        {
            options.Groups.Add(group);
        }

        foreach (var scope in request.Scopes ?? [])
        {
            options.Scopes.Add(scope);
        }

        var token = tokenUse == TokenUses.Id ? pool.MintIdToken(options) : pool.MintAccessToken(options);
        return Results.Ok(new { token, tokenUse, expiresIn = (int)lifetime.TotalSeconds });
    }
}
