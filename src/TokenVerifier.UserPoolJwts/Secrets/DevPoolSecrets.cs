using System.Security.Cryptography;
using TokenVerifier.Testing;

namespace TokenVerifier.UserPoolJwts.Secrets;

/// <summary>
/// The development pool a project's user secrets describe: the settings the app binds (its <c>UserPool</c> section)
/// and the signing key the tool alone reads (its own <c>UserPoolJwts</c> section, which no options class binds).
/// </summary>
internal sealed class DevPoolSecrets
{
    public const string UserPoolIdKey = "UserPool:UserPoolId";
    public const string IssuerKey = "UserPool:Issuer";
    public const string ClientIdKey = "UserPool:ClientIds:0";
    public const string JwksKey = "UserPool:Jwks";
    public const string KeyIdKey = "UserPoolJwts:KeyId";
    public const string PrivateKeyKey = "UserPoolJwts:PrivateKey";

    private const string Alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const string ClientIdAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    public required string UserPoolId { get; init; }

    /// <summary>An issuer override; <see langword="null"/> for Cognito's own, which the app accepts without one.</summary>
    public string? Issuer { get; init; }

    public required string ClientId { get; init; }

    public required string KeyId { get; init; }

    /// <summary>The RSA private key, PKCS#8 in base64.</summary>
    public required string PrivateKey { get; init; }

    /// <summary>The pool of <paramref name="file"/>, or <see langword="null"/> when no <c>init</c> wrote one there.</summary>
    public static DevPoolSecrets? Read(UserSecretsFile file)
    {
        if (file.Get(KeyIdKey) is not { Length: > 0 } keyId || file.Get(PrivateKeyKey) is not { Length: > 0 } privateKey)
        {
            return null;
        }

        return new DevPoolSecrets
        {
            UserPoolId = file.Get(UserPoolIdKey) ?? throw Damaged(file, UserPoolIdKey),
            Issuer = file.Get(IssuerKey),
            ClientId = file.Get(ClientIdKey) ?? throw Damaged(file, ClientIdKey),
            KeyId = keyId,
            PrivateKey = privateKey,
        };
    }

    /// <summary>A new key pair, with a kid shaped like Cognito's (standard base64 of 32 random bytes).</summary>
    public static (string KeyId, string PrivateKey) NewKey()
    {
        using var rsa = RSA.Create(2048);
        return (Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), Convert.ToBase64String(rsa.ExportPkcs8PrivateKey()));
    }

    /// <summary>A pool id shaped like Cognito's: the region, an underscore and nine letters and digits.</summary>
    public static string NewUserPoolId() => "us-east-1_" + RandomNumberGenerator.GetString(Alphanumerics, 9);

    /// <summary>An app client id shaped like Cognito's: 26 lowercase letters and digits.</summary>
    public static string NewClientId() => RandomNumberGenerator.GetString(ClientIdAlphabet, 26);

    /// <summary>The pool that signs with this key, minting by <paramref name="timeProvider"/>; the caller disposes it.</summary>
    public LocalUserPool CreatePool(TimeProvider timeProvider)
    {
        using var rsa = RSA.Create();
        try
        {
            rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(PrivateKey), out _);
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            throw new UserPoolJwtsException($"The signing key in the user secrets ({PrivateKeyKey}) is unreadable; run 'user-pool-jwts init --reset' for a new one.");
        }

        try
        {
            return new LocalUserPool(UserPoolId, rsa, KeyId, Issuer, ClientId, timeProvider);
        }
        catch (ArgumentException ex)
        {
            throw new UserPoolJwtsException(ex.Message);
        }
    }

    /// <summary>Writes the settings that make the app trust the key in Development, and the key itself.</summary>
    public void WriteTo(UserSecretsFile file, string jwks)
    {
        file.Set(UserPoolIdKey, UserPoolId);
        if (Issuer is not null)
        {
            file.Set(IssuerKey, Issuer);
        }

        file.Set(ClientIdKey, ClientId);
        file.Set(JwksKey, jwks);
        file.Set(KeyIdKey, KeyId);
        file.Set(PrivateKeyKey, PrivateKey);
    }

    private static UserPoolJwtsException Damaged(UserSecretsFile file, string key) =>
        new($"The user secrets file '{file.Path}' has a signing key but no '{key}'; run 'user-pool-jwts init' to write it again.");
}
