using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.Keys;
using TokenVerifier.Revocation;
using TokenVerifier.Validation;

namespace TokenVerifier.AspNetCore.JwtBearer;

/// <summary>
/// Lets <c>JwtBearerHandler</c> validate with TokenVerifier's rules: it replaces the JSON Web Token handler, so issuer,
/// keys (with the single-flight refresh on an unknown <c>kid</c> that completes within the current request),
/// <c>token_use</c>, client, revocation and claims are exactly those of the user-pool scheme.
/// </summary>
internal sealed class UserPoolTokenHandler : TokenHandler
{
    // Shared by JwtBearer schemes that are not bound to the application's services (see Bind).
    private static readonly Lazy<SigningKeyCacheRegistry> FallbackKeyCaches = new(() =>
    {
        var client = new HttpClient();
        return new SigningKeyCacheRegistry(() => client);
    });

    private readonly string _authenticationType;
    private UserPoolTokenValidator? _validator;

    /// <summary>For <c>AddUserPoolJwtBearer</c>: the scheme's validator, built from the container with everything it needs.</summary>
    public UserPoolTokenHandler(UserPoolTokenValidator validator, string authenticationType)
    {
        _validator = validator;
        _authenticationType = authenticationType;
    }

    /// <summary>For <c>UseUserPool</c>, which runs where no service can be resolved: bound on the first request (see <see cref="Bind"/>).</summary>
    public UserPoolTokenHandler(UserPoolValidationOptions options)
    {
        Options = options;
        _authenticationType = options.AuthenticationType;
    }

    public UserPoolValidationOptions? Options { get; }

    public bool IsBound => Volatile.Read(ref _validator) is not null;

    /// <summary>
    /// Builds the validator on the application's key caches, clock, logger and revocation store, when they are registered;
    /// the first binding wins.
    /// </summary>
    public UserPoolTokenValidator Bind(IServiceProvider services)
    {
        var keyCaches = services.GetService<SigningKeyCacheRegistry>()
            ?? (services.GetService<IHttpClientFactory>() is { } factory ? new SigningKeyCacheRegistry(factory) : FallbackKeyCaches.Value);
        return BindTo(
            keyCaches,
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            services.GetService<ILogger<UserPoolTokenValidator>>(),
            services.GetService<IRevocationStore>());
    }

    private UserPoolTokenValidator BindTo(SigningKeyCacheRegistry keyCaches, TimeProvider time, ILogger<UserPoolTokenValidator>? logger, IRevocationStore? revocationStore)
    {
        var validator = new UserPoolTokenValidator(Options!, keyCaches, time, logger, revocationStore);
        if (Interlocked.CompareExchange(ref _validator, validator, null) is { } bound)
        {
            // Lost the race: release the key cache subscriptions this one made.
            validator.Dispose();
            return bound;
        }

        return validator;
    }

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var validator = _validator ?? BindTo(FallbackKeyCaches.Value, TimeProvider.System, null, null);
        var result = await validator.ValidateAsync(token);
        if (!result.IsValid)
        {
            return new TokenValidationResult { IsValid = false, Exception = ToException(result) };
        }

        return new TokenValidationResult
        {
            IsValid = true,
            ClaimsIdentity = result.Token!.CreateIdentity(validationParameters?.AuthenticationType ?? _authenticationType),
            Issuer = result.Token.Issuer,
            SecurityToken = new JsonWebToken(token),
        };
    }

    // JwtBearer writes its own error_description from the exception type; map each failure to the type it knows.
    private static Exception ToException(UserPoolValidationResult result) => result.Failure switch
    {
        TokenFailure.Expired => new SecurityTokenExpiredException(result.FailureMessage) { Expires = result.FailureTime?.UtcDateTime ?? default },
        TokenFailure.NotYetValid => new SecurityTokenNotYetValidException(result.FailureMessage) { NotBefore = result.FailureTime?.UtcDateTime ?? default },
        TokenFailure.InvalidSignature => new SecurityTokenInvalidSignatureException(result.FailureMessage),
        TokenFailure.KeyNotFound => new SecurityTokenSignatureKeyNotFoundException(result.FailureMessage),
        TokenFailure.UnknownIssuer => new SecurityTokenInvalidIssuerException(result.FailureMessage),
        TokenFailure.UnsupportedAlgorithm => new SecurityTokenInvalidAlgorithmException(result.FailureMessage),
        TokenFailure.Malformed or TokenFailure.TooLarge => new SecurityTokenMalformedException(result.FailureMessage),
        TokenFailure.InvalidKey => new SecurityTokenInvalidSigningKeyException(result.FailureMessage),

        // Not the token's fault: OutageChallenge answers these with 503, as the user-pool scheme does.
        TokenFailure.KeysUnavailable or TokenFailure.RevocationUnavailable => new UserPoolAuthenticationException(result.Failure, result.FailureMessage!),
        _ => new SecurityTokenValidationException(result.FailureMessage),
    };
}
