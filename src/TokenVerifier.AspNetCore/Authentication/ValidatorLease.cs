using TokenVerifier.Validation;

namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>A scheme's configuration held for one validation: disposing it lets a replaced validator go.</summary>
internal readonly struct ValidatorLease(SchemeConfiguration configuration) : IDisposable
{
    public UserPoolTokenValidator Validator => configuration.Validator;

    public UserPoolAuthenticationOptions Options => configuration.Options;

    public void Dispose() => configuration.EndLease();
}
