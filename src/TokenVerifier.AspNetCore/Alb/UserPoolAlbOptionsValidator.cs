using Microsoft.Extensions.Options;

namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>Fails the application's start with every problem of an ALB scheme's options, named.</summary>
internal sealed class UserPoolAlbOptionsValidator : IValidateOptions<UserPoolAlbAuthenticationOptions>
{
    public ValidateOptionsResult Validate(string? name, UserPoolAlbAuthenticationOptions options)
    {
        var errors = AlbSchemeSettings.Validate(options);
        if (errors.Count == 0)
        {
            return ValidateOptionsResult.Success;
        }

        var prefix = $"ALB authentication scheme '{name}': ";
        return ValidateOptionsResult.Fail(errors.Select(e => prefix + e));
    }
}
