using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using TokenVerifier.Alb;
using TokenVerifier.Claims;
using TokenVerifier.Validation;

namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>
/// Authenticates requests forwarded by an Application Load Balancer that authenticated the user: verifies
/// <c>x-amzn-oidc-data</c>, requires <c>x-amzn-oidc-identity</c> to be its <c>sub</c>, and (by default) validates
/// <c>x-amzn-oidc-accesstoken</c> as an access token of the same pool and user. Never reads <c>Authorization</c>.
/// </summary>
internal sealed class UserPoolAlbAuthenticationHandler(
    IOptionsMonitor<UserPoolAlbAuthenticationOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AlbSchemeValidators validators)
    : AuthenticationHandler<UserPoolAlbAuthenticationOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var data = Request.Headers[UserPoolAlbDefaults.DataHeader];
        if (data.Count == 0)
        {
            return AuthenticateResult.NoResult();
        }

        if (data.Count > 1 || string.IsNullOrEmpty(data[0]))
        {
            return Refuse(AlbFailure.Malformed, "The request must carry exactly one x-amzn-oidc-data header.");
        }

        var scheme = validators.Get(Scheme.Name);
        var result = await scheme.Data.ValidateAsync(data[0]!, Context.RequestAborted);
        if (result.Failure != AlbFailure.None)
        {
            return Refuse(result.Failure, result.Message!);
        }

        var token = result.Token!;
        if (Single(Request.Headers[UserPoolAlbDefaults.IdentityHeader]) is not { } identity
            || !string.Equals(identity, token.Subject, StringComparison.Ordinal))
        {
            return Refuse(AlbFailure.IdentityMismatch, "The x-amzn-oidc-identity header is missing or is not the data token's subject.");
        }

        UserPoolToken? accessToken = null;
        if (scheme.AccessToken is { } accessValidator)
        {
            if (Single(Request.Headers[UserPoolAlbDefaults.AccessTokenHeader]) is not { } access)
            {
                return Refuse(AlbFailure.MissingAccessToken, "The request must carry exactly one x-amzn-oidc-accesstoken header.");
            }

            var accessResult = await accessValidator.ValidateAsync(access, Context.RequestAborted);
            if (!accessResult.IsValid)
            {
                return Refuse(AlbFailure.AccessTokenRejected, "The access token was rejected: " + accessResult.FailureMessage, accessResult.Failure);
            }

            accessToken = accessResult.Token!;
            if (!string.Equals(accessToken.Subject, token.Subject, StringComparison.Ordinal))
            {
                return Refuse(AlbFailure.SubjectMismatch, "The access token belongs to another user than the data token.");
            }
        }

        AlbAuthenticationLog.Accepted(Logger, Scheme.Name, token.Signer!);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(CreateIdentity(token, accessToken)), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var authenticated = await HandleAuthenticateOnceSafeAsync();
        var failure = authenticated.Failure as UserPoolAlbAuthenticationException;
        var description = Options.IncludeErrorDetails ? failure?.Message : null;
        if (failure is { IsOutage: true })
        {
            // As for the bearer scheme: an outage is ours, not the user's; retrying soon is right, signing in again is not.
            await WriteServiceUnavailableAsync(description);
            return;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        var challenge = failure is null ? "Bearer" : BearerChallenge.Format(realm: null, "invalid_token", description);
        Response.Headers.Append(HeaderNames.WWWAuthenticate, challenge);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }

    // The claims of the data token as signed, plus the groups and scopes only the access token carries.
    private static ClaimsIdentity CreateIdentity(AlbDataToken token, UserPoolToken? accessToken)
    {
        var identity = new ClaimsIdentity(UserPoolAlbDefaults.AuthenticationScheme, UserPoolClaimTypes.Username, UserPoolClaimTypes.Groups);
        foreach (var claim in token.Claims)
        {
            identity.AddClaim(new Claim(claim.Type, claim.Value, claim.ValueType, token.Issuer, token.Issuer, identity));
        }

        if (accessToken is not null)
        {
            foreach (var group in accessToken.Groups)
            {
                identity.AddClaim(new Claim(UserPoolClaimTypes.Groups, group, ClaimValueTypes.String, accessToken.Issuer, accessToken.Issuer, identity));
            }

            foreach (var scope in accessToken.Scopes)
            {
                identity.AddClaim(new Claim(UserPoolClaimTypes.Scope, scope, ClaimValueTypes.String, accessToken.Issuer, accessToken.Issuer, identity));
            }
        }

        return identity;
    }

    private static string? Single(StringValues values) => values.Count == 1 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

    private AuthenticateResult Refuse(AlbFailure failure, string message, TokenFailure accessTokenFailure = TokenFailure.None)
    {
        AlbAuthenticationLog.Refused(Logger, Scheme.Name, failure, accessTokenFailure);
        return AuthenticateResult.Fail(new UserPoolAlbAuthenticationException(failure, message, accessTokenFailure));
    }

    // The same 503 + Retry-After answer as the bearer schemes give for an outage of ours.
    private Task WriteServiceUnavailableAsync(string? detail) => ServiceUnavailableResponse.WriteAsync(Context, detail);
}
