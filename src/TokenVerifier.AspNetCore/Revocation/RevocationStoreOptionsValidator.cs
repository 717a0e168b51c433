using Microsoft.Extensions.Options;
using TokenVerifier.Revocation;

namespace TokenVerifier.AspNetCore.Revocation;

/// <summary>Fails the application's start with every problem of the revocation store's options.</summary>
internal sealed class RevocationStoreOptionsValidator : IValidateOptions<RevocationStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, RevocationStoreOptions options)
    {
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
