using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace TokenVerifier.Testing;

// Cognito-shaped access and ID tokens: the claims of one sign-in, in the order Cognito writes them.
public sealed partial class LocalUserPool
{
    /// <summary>Mints a signed access token (<c>token_use</c> <c>"access"</c>).</summary>
    /// <exception cref="ArgumentException"><see cref="LocalTokenOptions.KeyId"/> is not published, or a claim value has an unsupported type.</exception>
    public string MintAccessToken(LocalTokenOptions? options = null)
    {
        options ??= new LocalTokenOptions();
        SignInSession session = StartSession(options, issuedAt: null);
        return Sign(ResolveKey(options.KeyId), kid: null, AccessClaims(options, session, options.Jti ?? NewUuid()), options);
    }

    /// <summary>Mints a signed ID token (<c>token_use</c> <c>"id"</c>).</summary>
    /// <exception cref="ArgumentException"><see cref="LocalTokenOptions.KeyId"/> is not published, or a claim value has an unsupported type.</exception>
    public string MintIdToken(LocalTokenOptions? options = null)
    {
        options ??= new LocalTokenOptions();
        SignInSession session = StartSession(options, issuedAt: null);
        return Sign(ResolveKey(options.KeyId), kid: null, IdClaims(options, session, options.Jti ?? NewUuid()), options);
    }

    /// <summary>
    /// Mints the access and ID token of one sign-in: they share <c>sub</c>, <c>origin_jti</c>,
    /// <c>event_id</c>, <c>auth_time</c>, <c>iat</c> and <c>exp</c>, and have distinct <c>jti</c>s.
    /// </summary>
    /// <exception cref="ArgumentException"><see cref="LocalTokenOptions.KeyId"/> is not published, or a claim value has an unsupported type.</exception>
    public LocalTokenSet SignIn(LocalTokenOptions? options = null)
    {
        options ??= new LocalTokenOptions();
        SignInSession session = StartSession(options, issuedAt: null);
        SigningKey key = ResolveKey(options.KeyId);
        string accessToken = Sign(key, kid: null, AccessClaims(options, session, options.Jti ?? NewUuid()), options);
        string idToken = Sign(key, kid: null, IdClaims(options, session, NewUuid()), options);
        return new LocalTokenSet(accessToken, idToken, session.Subject, session.OriginJti, session.Username, session.ClientId);
    }

    /// <summary>Mints a correctly signed access token whose <c>exp</c> is <paramref name="expiredFor"/> before now.</summary>
    /// <param name="expiredFor">How long ago the token expired; <see cref="TimeSpan.Zero"/> gives <c>exp</c> = now.</param>
    /// <param name="options">Any other claims; <see cref="LocalTokenOptions.IssuedAt"/> is ignored because <c>iat</c> = <c>exp</c> − lifetime.</param>
    public string MintExpiredAccessToken(TimeSpan expiredFor, LocalTokenOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(expiredFor, TimeSpan.Zero);
        options ??= new LocalTokenOptions();
        DateTimeOffset issuedAt = _timeProvider.GetUtcNow() - expiredFor - options.Lifetime;
        SignInSession session = StartSession(options, issuedAt);
        return Sign(ResolveKey(options.KeyId), kid: null, AccessClaims(options, session, options.Jti ?? NewUuid()), options);
    }

    /// <summary>
    /// Mints a machine client's access token, as Cognito's token endpoint issues for the client-credentials grant:
    /// <c>sub</c> and <c>client_id</c> are the client id, no <c>username</c>, groups or <c>origin_jti</c>,
    /// resource-server scopes, <c>version</c> 2.
    /// </summary>
    /// <exception cref="ArgumentException"><see cref="LocalMachineTokenOptions.KeyId"/> is not published, or a claim value has an unsupported type.</exception>
    public string MintMachineToken(LocalMachineTokenOptions? options = null)
    {
        options ??= new LocalMachineTokenOptions();
        ThrowIfDisposed();
        string clientId = options.ClientId ?? DefaultClientId;
        DateTimeOffset issuedAt = options.IssuedAt ?? _timeProvider.GetUtcNow();

        // The member order of a token from Cognito's /oauth2/token with grant_type=client_credentials.
        List<KeyValuePair<string, object?>> claims =
        [
            new("sub", clientId),
            new("token_use", "access"),
            new("scope", options.Scopes.Count == 0 ? ClaimsPayloadWriter.Absent : string.Join(' ', options.Scopes)),
            new("auth_time", Seconds(issuedAt)),
            new("iss", Issuer),
            new("exp", Seconds(issuedAt + options.Lifetime)),
            new("iat", Seconds(issuedAt)),
            new("version", 2),
            new("jti", options.Jti ?? NewUuid()),
            new("client_id", clientId),
        ];
        return Sign(ResolveKey(options.KeyId), kid: null, ClaimsPayloadWriter.Serialize(claims, options.AdditionalClaims, options.OmitClaims));
    }

    private SignInSession StartSession(LocalTokenOptions options, DateTimeOffset? issuedAt)
    {
        ThrowIfDisposed();
        string username = options.Username ?? throw new ArgumentException($"{nameof(LocalTokenOptions.Username)} must not be null.", nameof(options));
        DateTimeOffset iat = issuedAt ?? options.IssuedAt ?? _timeProvider.GetUtcNow();
        return new SignInSession(
            Username: username,
            Subject: options.Subject ?? DeriveSubject(username),
            ClientId: options.ClientId ?? DefaultClientId,
            OriginJti: options.OriginJti ?? NewUuid(),
            EventId: NewUuid(),
            AuthTime: Seconds(options.AuthTime ?? iat),
            IssuedAt: Seconds(iat),
            Expires: Seconds(iat + options.Lifetime),
            NotBefore: options.NotBefore is DateTimeOffset nbf ? Seconds(nbf) : ClaimsPayloadWriter.Absent);
    }

    // A name-based UUID (version 8, RFC 9562) so one user keeps one sub across pool instances.
    private string DeriveSubject(string username)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(UserPoolId + "\n" + username), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true).ToString("D");
    }

    private List<KeyValuePair<string, object?>> AccessClaims(LocalTokenOptions options, SignInSession session, string jti) =>
    [
        new("sub", session.Subject),
        new("cognito:groups", Groups(options)),
        new("iss", Issuer),
        new("version", 2),
        new("client_id", session.ClientId),
        new("origin_jti", session.OriginJti),
        new("event_id", session.EventId),
        new("token_use", "access"),
        new("scope", options.Scopes.Count == 0 ? DefaultScope : string.Join(' ', options.Scopes)),
        new("auth_time", session.AuthTime),
        new("exp", session.Expires),
        new("iat", session.IssuedAt),
        new("nbf", session.NotBefore),
        new("jti", jti),
        new("username", session.Username),
    ];

    private List<KeyValuePair<string, object?>> IdClaims(LocalTokenOptions options, SignInSession session, string jti) =>
    [
        new("sub", session.Subject),
        new("cognito:groups", Groups(options)),
        new("email_verified", true),
        new("iss", Issuer),
        new("cognito:username", session.Username),
        new("origin_jti", session.OriginJti),
        new("aud", session.ClientId),
        new("event_id", session.EventId),
        new("token_use", "id"),
        new("auth_time", session.AuthTime),
        new("exp", session.Expires),
        new("iat", session.IssuedAt),
        new("nbf", session.NotBefore),
        new("jti", jti),
        new("email", options.Email ?? session.Username + "@example.test"),
    ];

    private static long Seconds(DateTimeOffset instant) => instant.ToUnixTimeSeconds();

    private static object Groups(LocalTokenOptions options) => options.Groups.Count == 0 ? ClaimsPayloadWriter.Absent : options.Groups.ToArray();

    private static string Sign(SigningKey key, string? kid, List<KeyValuePair<string, object?>> claims, LocalTokenOptions options) =>
        Sign(key, kid, ClaimsPayloadWriter.Serialize(claims, options.AdditionalClaims, options.OmitClaims));

    private static string Sign(SigningKey key, string? kid, byte[] payload)
    {
        var header = new ArrayBufferWriter<byte>(96);
        using (var writer = new Utf8JsonWriter(header, ClaimsPayloadWriter.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("kid", kid ?? key.KeyId);
            writer.WriteString("alg", "RS256");
            writer.WriteEndObject();
        }

        return key.Sign(header.WrittenSpan, payload);
    }

    /// <summary>What the tokens of one sign-in share.</summary>
    private sealed record SignInSession(
        string Username, string Subject, string ClientId, string OriginJti, string EventId, long AuthTime, long IssuedAt, long Expires, object NotBefore);
}
