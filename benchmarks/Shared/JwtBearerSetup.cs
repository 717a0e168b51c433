using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using TokenVerifier.Claims;
using TokenVerifier.Testing;

namespace TokenVerifier.Benchmarks;

/// <summary>
/// AddJwtBearer the way Cognito users wire it today, done carefully: the pool as authority, issuer and lifetime checked,
/// RS256 only, no audience (access tokens have none), Cognito claim names kept, and token_use and client_id checked in
/// OnTokenValidated as AWS advises. The keys are the pool's JWKS, given as static configuration so nothing is fetched.
/// </summary>
internal static class JwtBearerSetup
{
    public static void Configure(JwtBearerOptions options, LocalUserPool pool)
    {
        var configuration = new OpenIdConnectConfiguration { Issuer = pool.Issuer, JwksUri = pool.JwksUri.ToString() };
        foreach (var key in JsonWebKeySet.Create(pool.GetJwksJson()).Keys)
        {
            configuration.SigningKeys.Add(key);
        }

        options.Authority = pool.Issuer;
        options.Configuration = configuration;
        options.MapInboundClaims = false;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = pool.Issuer,
            ValidateAudience = false,
            ValidateLifetime = true,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            NameClaimType = UserPoolClaimTypes.Username,
            RoleClaimType = UserPoolClaimTypes.Groups,
        };
        var clientId = pool.DefaultClientId;
        options.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                var principal = context.Principal!;
                if (principal.FindFirst(UserPoolClaimTypes.TokenUse)?.Value != "access" || principal.FindFirst(UserPoolClaimTypes.ClientId)?.Value != clientId)
                {
                    context.Fail("Not an access token of this app client.");
                }

                return Task.CompletedTask;
            },
        };
    }
}
