using Microsoft.AspNetCore.Authentication.JwtBearer;
using TokenVerifier.AspNetCore.Authentication;

namespace TokenVerifier.AspNetCore.JwtBearer;

/// <summary>
/// Makes a JwtBearer scheme answer an outage of ours (keys unavailable, revocation store down) with the user-pool scheme's
/// 503 + Retry-After instead of JwtBearer's 401 <c>invalid_token</c>, which would send the client to sign in again.
/// </summary>
internal static class OutageChallenge
{
    public static void Attach(JwtBearerEvents events)
    {
        var previous = events.OnChallenge;
        events.OnChallenge = async context =>
        {
            await previous(context);
            if (context.Handled || context.AuthenticateFailure is not UserPoolAuthenticationException { Failure: var failure } || !ServiceUnavailableResponse.IsOutage(failure))
            {
                return;
            }

            await ServiceUnavailableResponse.WriteAsync(context.HttpContext, context.Options.IncludeErrorDetails ? context.AuthenticateFailure.Message : null);
            context.HandleResponse();
        };
    }
}
