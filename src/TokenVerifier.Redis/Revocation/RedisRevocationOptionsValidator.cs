using Microsoft.Extensions.Options;

namespace TokenVerifier.Revocation;

/// <summary>Fails the application's start with every problem of the Redis store's options.</summary>
internal sealed class RedisRevocationOptionsValidator : IValidateOptions<RedisRevocationOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisRevocationOptions options)
    {
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
