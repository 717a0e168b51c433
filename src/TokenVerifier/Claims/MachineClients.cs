using System.Security.Claims;
using TokenVerifier.Validation;

namespace TokenVerifier.Claims;

/// <summary>
/// Tells a machine client's token (Cognito's client-credentials grant) from a user's: an access token with no
/// <c>username</c> whose <c>sub</c> equals its <c>client_id</c>. Cognito gives a machine client no user, so it uses the
/// client id as the subject; a token that names a user is a user's even if its <c>sub</c> happens to match.
/// </summary>
public static class MachineClients
{
    /// <summary>Whether an identity built from a validated token is a machine client's.</summary>
    /// <param name="identity">An identity whose claims keep their token names, as this library builds them.</param>
    /// <returns><see langword="true"/> for an authenticated identity of a machine client's access token.</returns>
    public static bool IsMachineClient(ClaimsIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (!identity.IsAuthenticated)
        {
            return false;
        }

        // Read the claims once: the identity may build them lazily, and a claims transformation may have added some.
        string? tokenUse = null, username = null, subject = null, clientId = null;
        foreach (var claim in identity.Claims)
        {
            switch (claim.Type)
            {
                case UserPoolClaimTypes.TokenUse:
                    tokenUse = claim.Value;
                    break;
                case UserPoolClaimTypes.Username:
                    username = claim.Value;
                    break;
                case UserPoolClaimTypes.Subject:
                    subject = claim.Value;
                    break;
                case UserPoolClaimTypes.ClientId:
                    clientId = claim.Value;
                    break;
            }
        }

        return IsMachineClient(tokenUse, username, subject, clientId);
    }

    /// <summary>Whether any authenticated identity of <paramref name="principal"/> is a machine client's.</summary>
    /// <param name="principal">The user of a request.</param>
    /// <returns><see langword="true"/> when one of its identities is a machine client's.</returns>
    public static bool IsMachineClient(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        foreach (var identity in principal.Identities)
        {
            if (IsMachineClient(identity))
            {
                return true;
            }
        }

        return false;
    }

    internal static bool IsMachineClient(string? tokenUse, string? username, string? subject, string? clientId) =>
        MayBeMachineClient(tokenUse, username is not null, clientId) && string.Equals(subject, clientId, StringComparison.Ordinal);

    /// <summary>
    /// The rule without the subject: an access token with no user name and a client id is a machine client's when its
    /// <c>sub</c> equals the client id, and no other token is. The validator asks this first and reads the subject only
    /// for such a token.
    /// </summary>
    internal static bool MayBeMachineClient(string? tokenUse, bool hasUsername, string? clientId) =>
        tokenUse == TokenUses.Access && !hasUsername && clientId is not null;
}
