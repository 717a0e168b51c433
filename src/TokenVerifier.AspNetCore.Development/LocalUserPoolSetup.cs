using Microsoft.Extensions.Options;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Development;

/// <summary>
/// Points every user-pool scheme that names no pool at the embedded one (so a section holding only policies or token uses
/// works in Development), and adds the pool's client id. The pool's public keys are given as a configured key set, so
/// nothing is requested over the network and no start-up line names an AWS address that was never called. A scheme
/// naming a pool of its own is left alone; the dev endpoint then refuses to map.
/// </summary>
internal sealed class LocalUserPoolSetup(LocalUserPool pool) : IPostConfigureOptions<UserPoolAuthenticationOptions>
{
    public void PostConfigure(string? name, UserPoolAuthenticationOptions options)
    {
        var validation = options.Validation;
        if (!string.IsNullOrWhiteSpace(validation.UserPoolId)
            || !string.IsNullOrWhiteSpace(validation.Issuer)
            || !string.IsNullOrWhiteSpace(validation.JwksUri)
            || !string.IsNullOrWhiteSpace(validation.Jwks)
            || !string.IsNullOrWhiteSpace(validation.JwksFile)
            || validation.Pools.Count > 0)
        {
            return;
        }

        validation.UserPoolId = pool.UserPoolId;
        validation.Jwks = pool.GetJwksJson();
        if (!validation.AllowAnyClient && !validation.ClientIds.Contains(pool.DefaultClientId))
        {
            validation.ClientIds = [.. validation.ClientIds, pool.DefaultClientId];
        }
    }

    /// <summary>Whether every pool <paramref name="options"/> trusts is the embedded one.</summary>
    public static bool TrustsOnly(LocalUserPool pool, UserPoolAuthenticationOptions options)
    {
        foreach (var trusted in options.Validation.GetAllPools())
        {
            if (trusted.UserPoolId != pool.UserPoolId || !string.IsNullOrWhiteSpace(trusted.Issuer) || !string.IsNullOrWhiteSpace(trusted.JwksUri)
                || trusted.Jwks != pool.GetJwksJson() || !string.IsNullOrWhiteSpace(trusted.JwksFile))
            {
                return false;
            }
        }

        return true;
    }
}
