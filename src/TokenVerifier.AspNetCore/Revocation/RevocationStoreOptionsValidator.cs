using Microsoft.Extensions.Options;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.Revocation;

namespace TokenVerifier.AspNetCore.Revocation;

/// <summary>Fails the application's start with every problem of the revocation store's options.</summary>
internal sealed class RevocationStoreOptionsValidator(IOptionsMonitor<UserPoolAuthenticationOptions>? schemeOptions = null, UserPoolSchemes? schemes = null) : IValidateOptions<RevocationStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, RevocationStoreOptions options)
    {
        var errors = new List<string>(options.Validate());

        // Entries shorter-lived than the tokens they revoke would let those tokens back in before they expire.
        if (schemeOptions is not null
            && RevocationLifetimeSetup.StatedValidity(schemeOptions, schemes, requireAll: false) is { } stated
            && stated > options.MaxTokenLifetime)
        {
            errors.Add($"Revocation:MaxTokenLifetime ({options.MaxTokenLifetime}) is shorter than a scheme's TokenValidity ({stated}): revoked tokens would be accepted again before they expire.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
