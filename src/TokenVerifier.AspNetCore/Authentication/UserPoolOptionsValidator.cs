using Microsoft.Extensions.Options;

namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>Fails the application's start with every problem of a scheme's options, named, instead of failing the first request.</summary>
internal sealed class UserPoolOptionsValidator : IValidateOptions<UserPoolAuthenticationOptions>
{
    // A client kept waiting longer gains nothing more for us, and a misread "30" (minutes) would hold connections open.
    private static readonly TimeSpan MaxRefusedTokenDelay = TimeSpan.FromSeconds(30);

    public ValidateOptionsResult Validate(string? name, UserPoolAuthenticationOptions options)
    {
        var errors = options.UnknownSettings
            .Concat(options.Validation.Validate())
            .Concat(QueryTokenPaths.Validate(options.QueryTokenPaths))
            .Concat(RefusedTokenDelayErrors(options))
            .ToList();
        if (errors.Count == 0)
        {
            return ValidateOptionsResult.Success;
        }

        var prefix = $"User pool authentication scheme '{name}': ";
        return ValidateOptionsResult.Fail(errors.Select(e => prefix + e));
    }

    private static IEnumerable<string> RefusedTokenDelayErrors(UserPoolAuthenticationOptions options)
    {
        if (options.RefusedTokenDelay < TimeSpan.Zero || options.RefusedTokenDelay > MaxRefusedTokenDelay)
        {
            yield return "RefusedTokenDelay must be zero (off) or positive, and at most 30 seconds.";
        }

        if (options.RefusedTokensBeforeDelay is < 1 or > 1000)
        {
            yield return "RefusedTokensBeforeDelay must be from 1 to 1000.";
        }
    }
}
