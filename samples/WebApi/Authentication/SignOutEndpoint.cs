using System.Globalization;
using System.Security.Claims;
using TokenVerifier.Claims;
using TokenVerifier.Revocation;

namespace WebApi.Authentication;

/// <summary>
/// <c>POST /auth/signout</c>: revokes the caller's sign-in (its <c>origin_jti</c>, within its pool: its <c>iss</c>), so the
/// access and ID tokens of that sign-in are refused by every instance sharing the revocation store. It calls nothing external; a real application
/// would also call Cognito's <c>RevokeToken</c> with the refresh token so that no new token of that sign-in is issued.
/// </summary>
internal static class SignOutEndpoint
{
    public static void MapSignOutEndpoint(this WebApplication app) =>
        app.MapPost("/auth/signout", async (ClaimsPrincipal user, IRevocationStore revocations, CancellationToken cancellationToken) =>
        {
            // Entries belong to the token's pool: the same jti or sub in another pool is another token or user.
            var issuer = user.FindFirstValue(UserPoolClaimTypes.Issuer);
            var originTokenId = user.FindFirstValue(UserPoolClaimTypes.OriginTokenId);
            var tokenId = user.FindFirstValue(UserPoolClaimTypes.TokenId);
            var subject = user.FindFirstValue(UserPoolClaimTypes.Subject);
            if (issuer is null)
            {
                return Results.Problem("The token has no iss, so it cannot be revoked.", statusCode: StatusCodes.Status400BadRequest);
            }

            try
            {
                if (originTokenId is not null && subject is not null)
                {
                    // With the sub, the store bounds one user's sign-in entries, so a sign-in/sign-out loop cannot fill it.
                    await revocations.RevokeSignInAsync(issuer, originTokenId, subject, cancellationToken);
                }
                else if (originTokenId is not null)
                {
                    await revocations.RevokeSignInAsync(issuer, originTokenId, cancellationToken);
                }
                else if (tokenId is not null)
                {
                    // Without origin_jti (token revocation off for the app client) only this token can be revoked.
                    var expires = long.TryParse(user.FindFirstValue(UserPoolClaimTypes.Expiration), NumberStyles.None, CultureInfo.InvariantCulture, out var exp)
                        ? DateTimeOffset.FromUnixTimeSeconds(exp)
                        : DateTimeOffset.MaxValue;
                    await revocations.RevokeTokenAsync(issuer, tokenId, expires, cancellationToken);
                }
                else
                {
                    return Results.Problem("The token has neither origin_jti nor jti, so it cannot be revoked.", statusCode: StatusCodes.Status400BadRequest);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return Results.Problem("The revocation store is unavailable; the sign-out was not recorded. Try again.", statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            return Results.NoContent();
        })
        .Produces(StatusCodes.Status204NoContent)
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
        .RequireAuthorization();
}
