using Microsoft.Extensions.Options;

namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>Fails the application's start with every problem of a scheme's options, named, instead of failing the first request.</summary>
internal sealed class UserPoolOptionsValidator : IValidateOptions<UserPoolAuthenticationOptions>
{
    public ValidateOptionsResult Validate(string? name, UserPoolAuthenticationOptions options)
    {
        var errors = options.UnknownSettings.Concat(options.Validation.Validate()).Concat(QueryTokenPaths.Validate(options.QueryTokenPaths)).ToList();
        if (errors.Count == 0)
        {
            return ValidateOptionsResult.Success;
        }

        var prefix = $"User pool authentication scheme '{name}': ";
        return ValidateOptionsResult.Fail(errors.Select(e => prefix + e));
    }
}
