using System.Globalization;
using TokenVerifier.Claims;

namespace TokenVerifier.Validation;

// The claim rules of a signed token: its times, then its token use and app client. The token use and client decide what
// the token is for, so they come after the times, which decide whether it is anything at all.
public sealed partial class UserPoolTokenValidator
{
    private TokenFailure? CheckTime(ParsedJwt jwt, DateTimeOffset utcNow, out string? error)
    {
        error = null;
        if (jwt.Expiration.State != NumericDateState.Present)
        {
            error = "The token has no 'exp' claim.";
            return TokenFailure.MissingClaim;
        }

        if (jwt.IssuedAt.State != NumericDateState.Present)
        {
            error = "The token has no 'iat' claim.";
            return TokenFailure.MissingClaim;
        }

        // Revocation entries live TokenValidity: a token outliving them would come back once they are gone.
        if (jwt.Expiration.Seconds - jwt.IssuedAt.Seconds > _maxLifetimeSeconds)
        {
            error = "The token lives longer (exp - iat) than the configured TokenValidity.";
            return TokenFailure.InvalidClaim;
        }

        var now = utcNow.ToUnixTimeMilliseconds() / 1000.0;
        if (now >= jwt.Expiration.Seconds + _skewSeconds)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"The token expired at {jwt.Expiration.ToDateTimeOffset():yyyy-MM-dd'T'HH:mm:ss'Z'}.");
            return TokenFailure.Expired;
        }

        if (jwt.NotBefore.State == NumericDateState.Present && jwt.NotBefore.Seconds > now + _skewSeconds)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"The token is not valid before {jwt.NotBefore.ToDateTimeOffset():yyyy-MM-dd'T'HH:mm:ss'Z'}.");
            return TokenFailure.NotYetValid;
        }

        return null;
    }

    private TokenFailure? CheckTokenUseAndClient(ParsedJwt jwt, TrustedPool pool, out string? error)
    {
        error = null;
        switch (jwt.TokenUse)
        {
            case null:
                error = "The token has no 'token_use' claim.";
                return TokenFailure.MissingClaim;
            case TokenUses.Access when _acceptAccess:
                if (jwt.ClientId is null)
                {
                    error = "The access token has no 'client_id' claim.";
                    return TokenFailure.MissingClaim;
                }

                if (!pool.AllowsClient(jwt.ClientId))
                {
                    error = "The token was issued to an app client that is not allowed.";
                    return TokenFailure.InvalidClient;
                }

                jwt.Token.ClientId = jwt.ClientId;
                return null;
            case TokenUses.Id when _acceptId:
                if (jwt.Audiences is null || jwt.Audiences.Count == 0)
                {
                    error = "The ID token has no 'aud' claim.";
                    return TokenFailure.MissingClaim;
                }

                foreach (var audience in jwt.Audiences)
                {
                    if (pool.AllowsClient(audience))
                    {
                        jwt.Token.ClientId = audience;
                        return null;
                    }
                }

                error = "The token was issued to an app client that is not allowed.";
                return TokenFailure.InvalidClient;
            case TokenUses.Access:
                error = "The token is an access token, but only ID tokens are accepted.";
                return TokenFailure.InvalidTokenUse;
            case TokenUses.Id:
                error = "The token is an ID token, but only access tokens are accepted.";
                return TokenFailure.InvalidTokenUse;
            default:
                error = "The token's 'token_use' is neither 'access' nor 'id'.";
                return TokenFailure.InvalidTokenUse;
        }
    }
}
