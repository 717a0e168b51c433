using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace TokenVerifier.Revocation;

/// <summary>
/// The pool part of every revocation entry's key, in every store, the local answer cache and the Redis invalidation
/// messages, so that the same <c>jti</c> or <c>sub</c> in two pools can never name the same entry.
/// </summary>
/// <remarks>
/// A pool is named by a short digest of its issuer, not by the issuer itself. An issuer is a URL of 60 characters or more
/// (an override can be any length), and it would be repeated in every key of a store holding up to
/// <see cref="RevocationStoreOptions.MaxEntries"/> entries per instance, and in every Redis key and message; the digest is
/// 16 characters of base64url (no <c>:</c>, <c>{</c> or <c>}</c>), so keys stay short and an issuer can neither break the
/// key's layout nor a Redis Cluster hash tag around it. 96 bits of SHA-256 leave no practical chance that two configured
/// issuers share a digest, and only issuers that passed validation (or that the application names when it revokes) are
/// ever looked up. SHA-256 rather than <see cref="string.GetHashCode()"/>: the digest must be the same in every process.
/// Cognito's two issuer forms of one pool (<c>https://cognito-idp.{region}...</c> and
/// <c>https://issuer-cognito-idp.{region}...</c>) name the same pool, so a user revocation recorded with one form
/// also refuses that user's tokens carrying the other.
/// </remarks>
internal static class RevocationPool
{
    private const string UpdatedCognitoForm = "https://issuer-cognito-idp.";
    private const string OriginalCognitoForm = "https://cognito-idp.";
    private const int DigestBytes = 12;

    // Validated tokens carry one of a few configured issuers, so a small map spares the hash on every look-up; issuers
    // beyond the bound (only an application revoking with ever new issuers gets there) are hashed each time instead.
    private const int MaxRemembered = 256;
    private static readonly ConcurrentDictionary<string, string> Digests = new(StringComparer.Ordinal);

    /// <summary>The pool's name in revocation keys: the digest of <paramref name="issuer"/> in its original Cognito form.</summary>
    public static string Of(string issuer)
    {
        if (Digests.TryGetValue(issuer, out var digest))
        {
            return digest;
        }

        digest = Digest(issuer);
        if (Digests.Count < MaxRemembered)
        {
            Digests.TryAdd(issuer, digest);
        }

        return digest;
    }

    private static string Digest(string issuer)
    {
        var canonical = issuer.StartsWith(UpdatedCognitoForm, StringComparison.Ordinal)
            ? string.Concat(OriginalCognitoForm, issuer.AsSpan(UpdatedCognitoForm.Length))
            : issuer;
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(canonical), hash);
        return Base64Url.EncodeToString(hash[..DigestBytes]);
    }
}
