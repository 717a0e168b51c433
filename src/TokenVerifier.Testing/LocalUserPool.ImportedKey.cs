using System.Security.Cryptography;

namespace TokenVerifier.Testing;

public sealed partial class LocalUserPool
{
    /// <summary>
    /// Creates a pool that signs with an existing key pair under a given kid and app client id, so that tokens minted
    /// in separate runs (a developer tool's invocations) verify against one published key set.
    /// </summary>
    /// <param name="userPoolId">A Cognito pool id, <c>{region}_{id}</c>.</param>
    /// <param name="signingKey">The RSA key pair to sign with, private part included; the pool keeps its own copy.</param>
    /// <param name="keyId">The kid the key is published and signs under.</param>
    /// <param name="issuer">The <c>iss</c> of minted tokens. Default Cognito's for <paramref name="userPoolId"/>.</param>
    /// <param name="defaultClientId">The client id of tokens that name none. Default: a random Cognito-shaped id.</param>
    /// <param name="timeProvider">The clock for <c>iat</c>, <c>exp</c> and <c>auth_time</c>. Default <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="userPoolId"/> or <paramref name="issuer"/> is malformed, <paramref name="keyId"/> or
    /// <paramref name="defaultClientId"/> is empty, or <paramref name="signingKey"/> holds no private key.
    /// </exception>
    public LocalUserPool(string userPoolId, RSA signingKey, string keyId, string? issuer = null, string? defaultClientId = null, TimeProvider? timeProvider = null)
        : this(userPoolId, issuer, timeProvider, signingKey?.KeySize ?? 0, () => Import(signingKey, keyId, defaultClientId))
    {
        if (defaultClientId is not null)
        {
            DefaultClientId = defaultClientId;
        }
    }

    // Called by the shared constructor once the pool id and issuer have passed, in place of generating a key: a
    // command-line tool builds a pool on every run, and generating even a small key it would throw away costs time.
    private static SigningKey Import(RSA? signingKey, string keyId, string? defaultClientId)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(keyId);
        if (defaultClientId is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(defaultClientId);
        }

        RSAParameters parameters;
        try
        {
            parameters = signingKey.ExportParameters(includePrivateParameters: true);
        }
        catch (CryptographicException ex)
        {
            throw new ArgumentException($"The signing key cannot be used: it holds no exportable private key ({ex.Message}).", nameof(signingKey), ex);
        }

        return new SigningKey(keyId, parameters);
    }
}
