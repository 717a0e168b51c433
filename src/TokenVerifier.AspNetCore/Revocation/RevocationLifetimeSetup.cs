using Microsoft.Extensions.Options;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.Revocation;

namespace TokenVerifier.AspNetCore.Revocation;

/// <summary>
/// Lets the revocation store's <see cref="RevocationStoreOptions.MaxTokenLifetime"/> follow the token validity the app states
/// for its pools (<see cref="UserPoolValidationOptions.TokenValidity"/>): the longest one, when every user-pool scheme states
/// it and the store's lifetime was left at its default. One scheme without it keeps the default, which is safe for all.
/// </summary>
internal sealed class RevocationLifetimeSetup(IOptionsMonitor<UserPoolAuthenticationOptions> schemeOptions, UserPoolSchemes? schemes = null) : IPostConfigureOptions<RevocationStoreOptions>
{
    public void PostConfigure(string? name, RevocationStoreOptions options)
    {
        if (options.MaxTokenLifetime == RevocationStoreOptions.CognitoMaxTokenLifetime && StatedValidity(schemeOptions, schemes, requireAll: true) is { } stated)
        {
            options.MaxTokenLifetime = stated;
        }
    }

    /// <summary>The longest validity stated by the user-pool schemes; null when none (or, with <paramref name="requireAll"/>, not every one) states it.</summary>
    internal static TimeSpan? StatedValidity(IOptionsMonitor<UserPoolAuthenticationOptions> schemeOptions, UserPoolSchemes? schemes, bool requireAll)
    {
        TimeSpan? longest = null;
        foreach (var scheme in schemes?.Names ?? [])
        {
            TimeSpan? validity;
            try
            {
                validity = schemeOptions.Get(scheme).Validation.TokenValidity;
            }
            catch (OptionsValidationException)
            {
                // The scheme's own validation reports its options; the store keeps the safe default meanwhile.
                validity = null;
            }

            if (validity is null && requireAll)
            {
                return null;
            }

            if (validity > longest || longest is null)
            {
                longest = validity;
            }
        }

        return longest;
    }
}
