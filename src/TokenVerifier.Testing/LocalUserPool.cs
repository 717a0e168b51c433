using System.Buffers;
using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace TokenVerifier.Testing;

/// <summary>
/// An in-process Amazon Cognito user pool for tests, samples and benchmarks: it holds real RSA keys,
/// mints real RS256 access and ID tokens shaped exactly like Cognito's, serves its JWKS through an
/// <see cref="HttpMessageHandler"/>, rotates keys, and can mint deliberately broken tokens.
/// It is a real signer, not a mock; every member is safe to call from many threads.
/// </summary>
public sealed partial class LocalUserPool : IDisposable
{
    private const string DefaultScope = "aws.cognito.signin.user.admin";
    private const string ClientIdAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    // Cognito writes "+", "/" and non-ASCII characters unescaped; the default encoder would not.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Marks a default claim that is not written unless AdditionalClaims supplies a value, so that an
    // override still lands where Cognito puts the claim.
    private static readonly object Absent = new();

    private readonly Lock _keysGate = new();
    private readonly TimeProvider _timeProvider;
    private readonly int _keySizeInBits;
    private KeyRing _keys;
    private SigningKey? _unpublishedKey;
    private int _jwksRequestCount;
    private int _jwksFailureStatus;
    private volatile bool _disposed;

    /// <summary>Creates a pool with one freshly generated signing key.</summary>
    /// <param name="userPoolId">A Cognito pool id, <c>{region}_{id}</c>; the region must look like an AWS region (<c>us-east-1</c>).</param>
    /// <param name="issuer">
    /// The <c>iss</c> of minted tokens. Default <c>https://cognito-idp.{region}.amazonaws.com/{userPoolId}</c>;
    /// override it to impersonate an emulator or the <c>issuer-cognito-idp</c> form.
    /// </param>
    /// <param name="timeProvider">The clock for <c>iat</c>, <c>exp</c> and <c>auth_time</c>. Default <see cref="TimeProvider.System"/>.</param>
    /// <param name="keySizeInBits">The RSA key size. Cognito uses 2048; smaller sizes are allowed so that weak-key rejection can be tested.</param>
    /// <exception cref="ArgumentException"><paramref name="userPoolId"/> or <paramref name="issuer"/> is malformed.</exception>
    public LocalUserPool(string userPoolId = "us-east-1_LocalPool1", string? issuer = null, TimeProvider? timeProvider = null, int keySizeInBits = 2048)
    {
        ArgumentNullException.ThrowIfNull(userPoolId);
        Match match = UserPoolIdPattern().Match(userPoolId);
        if (!match.Success)
        {
            throw new ArgumentException(
                $"'{userPoolId}' is not a user pool id: expected '{{region}}_{{id}}' with an AWS region such as 'us-east-1' and an alphanumeric id, for example 'us-east-1_LocalPool1'.",
                nameof(userPoolId));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(keySizeInBits);

        UserPoolId = userPoolId;
        Region = match.Groups["region"].Value;
        Issuer = issuer ?? $"https://cognito-idp.{Region}.amazonaws.com/{userPoolId}";
        if (!Uri.TryCreate(Issuer, UriKind.Absolute, out Uri? issuerUri) || (issuerUri.Scheme != Uri.UriSchemeHttps && issuerUri.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"The issuer '{issuer}' is not an absolute http or https URL.", nameof(issuer));
        }

        JwksUri = new Uri(Issuer.TrimEnd('/') + "/.well-known/jwks.json", UriKind.Absolute);
        DefaultClientId = RandomNumberGenerator.GetString(ClientIdAlphabet, 26);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _keySizeInBits = keySizeInBits;
        var first = new SigningKey(SigningKey.NewKeyId(), keySizeInBits);
        _keys = new KeyRing(first, [first]);
    }

    /// <summary>The pool id, such as <c>us-east-1_LocalPool1</c>.</summary>
    public string UserPoolId { get; }

    /// <summary>The region: the part of <see cref="UserPoolId"/> before the underscore.</summary>
    public string Region { get; }

    /// <summary>The <c>iss</c> claim of every token this pool mints.</summary>
    public string Issuer { get; }

    /// <summary><see cref="Issuer"/> + <c>/.well-known/jwks.json</c>, where Cognito publishes a pool's keys.</summary>
    public Uri JwksUri { get; }

    /// <summary>A random app client id, 26 lowercase letters and digits like Cognito's, used when a token names no client.</summary>
    public string DefaultClientId { get; }

    /// <summary>The kid of the key new tokens are signed with.</summary>
    public string CurrentKeyId
    {
        get
        {
            ThrowIfDisposed();
            return Volatile.Read(ref _keys).Current.KeyId;
        }
    }

    /// <summary>The kids in the JWKS right now, oldest first.</summary>
    public IReadOnlyList<string> PublishedKeyIds
    {
        get
        {
            ThrowIfDisposed();
            return Array.ConvertAll(Volatile.Read(ref _keys).Published, key => key.KeyId);
        }
    }

    /// <summary>How many GET requests for the JWKS the handlers from <see cref="CreateJwksHandler"/> have received.</summary>
    public int JwksRequestCount => Volatile.Read(ref _jwksRequestCount);

    /// <summary>
    /// When set, the JWKS handlers answer GET requests with this status and no body instead of the
    /// key set (the requests are still counted), to test how a verifier copes with an outage.
    /// </summary>
    public HttpStatusCode? JwksFailureStatus
    {
        get => Volatile.Read(ref _jwksFailureStatus) is var status and not 0 ? (HttpStatusCode)status : null;
        set => Volatile.Write(ref _jwksFailureStatus, value is HttpStatusCode status ? (int)status : 0);
    }

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

    /// <summary>
    /// Generates a new key, publishes it and makes it current, as Cognito does when it rotates.
    /// </summary>
    /// <param name="keepPreviousKey">
    /// <see langword="true"/> keeps the previous current key published, so tokens it signed still verify;
    /// <see langword="false"/> unpublishes and forgets it. Older keys are left as they are either way.
    /// </param>
    /// <returns>The kid of the new current key.</returns>
    public string RotateKey(bool keepPreviousKey = true)
    {
        ThrowIfDisposed();
        var next = new SigningKey(SigningKey.NewKeyId(), _keySizeInBits);
        SigningKey? dropped = null;
        lock (_keysGate)
        {
            ThrowIfDisposed();
            KeyRing ring = _keys;
            List<SigningKey> published = [.. ring.Published];
            if (!keepPreviousKey)
            {
                published.Remove(ring.Current);
                dropped = ring.Current;
            }

            published.Add(next);
            Volatile.Write(ref _keys, new KeyRing(next, [.. published]));
        }

        dropped?.Dispose();
        return next.KeyId;
    }

    /// <summary>Unpublishes a key and forgets it; tokens it signed stop verifying and it can no longer sign.</summary>
    /// <exception cref="ArgumentException">No published key has <paramref name="keyId"/>.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="keyId"/> is the current key; rotate first.</exception>
    public void RemoveKey(string keyId)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        SigningKey removed;
        lock (_keysGate)
        {
            ThrowIfDisposed();
            KeyRing ring = _keys;
            removed = FindKey(ring, keyId) ?? throw UnknownKey(keyId, nameof(keyId));
            if (removed == ring.Current)
            {
                throw new InvalidOperationException($"The key '{keyId}' signs new tokens and cannot be removed; call {nameof(RotateKey)} first.");
            }

            Volatile.Write(ref _keys, new KeyRing(ring.Current, Array.FindAll(ring.Published, key => key != removed)));
        }

        removed.Dispose();
    }

    /// <summary>The JWKS document, <c>{"keys":[...]}</c>, with one RSA public key per published kid.</summary>
    public string GetJwksJson()
    {
        ThrowIfDisposed();
        SigningKey[] published = Volatile.Read(ref _keys).Published;
        var buffer = new ArrayBufferWriter<byte>(512 * published.Length + 16);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("keys");
            foreach (SigningKey key in published)
            {
                key.WriteJwk(writer);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// A handler that answers <c>GET</c> on the path of <see cref="JwksUri"/> (on any host, so emulator-style
    /// issuers work) with the JWKS as <c>application/json</c>, other methods on that path with 405, and any
    /// other path with 404. Give it to an <see cref="HttpClient"/>, which owns and disposes it.
    /// </summary>
    public HttpMessageHandler CreateJwksHandler()
    {
        ThrowIfDisposed();
        return new JwksEndpointHandler(this);
    }

    /// <summary>The public half (modulus and exponent) of a published key.</summary>
    /// <exception cref="ArgumentException">No published key has <paramref name="keyId"/>.</exception>
    public RSAParameters ExportPublicKey(string keyId)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        SigningKey key = ResolveKey(keyId);
        return new RSAParameters
        {
            Modulus = (byte[])key.PublicKey.Modulus!.Clone(),
            Exponent = (byte[])key.PublicKey.Exponent!.Clone(),
        };
    }

    /// <summary>
    /// Mints an access token with a real signature by a key that is never published, carrying
    /// <see cref="LocalTokenOptions.KeyId"/> (default <see cref="CurrentKeyId"/>) as its kid: it must fail verification.
    /// </summary>
    public string SignWithUnpublishedKey(LocalTokenOptions? options = null)
    {
        options ??= new LocalTokenOptions();
        ThrowIfDisposed();
        SigningKey impostor = Volatile.Read(ref _unpublishedKey) ?? CreateUnpublishedKey();
        SignInSession session = StartSession(options, issuedAt: null);
        string kid = options.KeyId ?? CurrentKeyId;
        return Sign(impostor, kid, AccessClaims(options, session, options.Jti ?? NewUuid()), options);
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
    /// Returns <paramref name="token"/> with one payload claim set to <paramref name="newJsonValue"/>
    /// (added at the end if absent) and the original, now wrong, signature.
    /// </summary>
    /// <param name="token">A compact JWS.</param>
    /// <param name="claimName">The claim to replace or add.</param>
    /// <param name="newJsonValue">The new value as JSON text, such as <c>"\"admins\""</c> or <c>9999999999</c>.</param>
    /// <exception cref="ArgumentException">The token is not three segments with a JSON object payload, or the value is not valid JSON.</exception>
    public static string TamperPayload(string token, string claimName, string newJsonValue)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(claimName);
        ArgumentNullException.ThrowIfNull(newJsonValue);
        string[] parts = SplitCompact(token);

        JsonDocument payload;
        try
        {
            payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            throw new ArgumentException("The token's payload is not base64url-encoded JSON.", nameof(token), ex);
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (payload)
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            if (payload.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException("The token's payload is not a JSON object.", nameof(token));
            }

            bool replaced = false;
            writer.WriteStartObject();
            foreach (JsonProperty claim in payload.RootElement.EnumerateObject())
            {
                if (claim.NameEquals(claimName))
                {
                    writer.WritePropertyName(claimName);
                    WriteRawJson(writer, newJsonValue, nameof(newJsonValue));
                    replaced = true;
                }
                else
                {
                    claim.WriteTo(writer);
                }
            }

            if (!replaced)
            {
                writer.WritePropertyName(claimName);
                WriteRawJson(writer, newJsonValue, nameof(newJsonValue));
            }

            writer.WriteEndObject();
        }

        return string.Concat(parts[0], ".", Base64Url.EncodeToString(buffer.WrittenSpan), ".", parts[2]);
    }

    /// <summary>Returns <paramref name="token"/> with one bit of its signature flipped.</summary>
    /// <exception cref="ArgumentException">The token is not three segments with a base64url signature.</exception>
    public static string TamperSignature(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        string[] parts = SplitCompact(token);
        byte[] signature;
        try
        {
            signature = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (FormatException ex)
        {
            throw new ArgumentException("The token's signature is not base64url.", nameof(token), ex);
        }

        if (signature.Length == 0)
        {
            throw new ArgumentException("The token has no signature to tamper with.", nameof(token));
        }

        // The last byte: flipping its low bit keeps the value below the modulus, so the signature
        // stays a well-formed RSA signature that is simply wrong.
        signature[^1] ^= 0x01;
        return string.Concat(parts[0], ".", parts[1], ".", Base64Url.EncodeToString(signature));
    }

    /// <summary>
    /// Signs hand-built JSON: <c>base64url(header).base64url(payload).signature</c>, RS256 with a published key.
    /// The bytes are used verbatim, so duplicate members, a BOM or invalid JSON are signed as given.
    /// </summary>
    /// <param name="headerJsonUtf8">The header bytes.</param>
    /// <param name="payloadJsonUtf8">The payload bytes.</param>
    /// <param name="keyId">The published key to sign with. Default <see cref="CurrentKeyId"/>.</param>
    /// <exception cref="ArgumentException">No published key has <paramref name="keyId"/>.</exception>
    public string SignRaw(ReadOnlySpan<byte> headerJsonUtf8, ReadOnlySpan<byte> payloadJsonUtf8, string? keyId = null) =>
        ResolveKey(keyId).Sign(headerJsonUtf8, payloadJsonUtf8);

    /// <summary>Signs hand-built JSON given as strings, encoded as UTF-8; see the byte overload.</summary>
    /// <param name="headerJson">The header text.</param>
    /// <param name="payloadJson">The payload text.</param>
    /// <param name="keyId">The published key to sign with. Default <see cref="CurrentKeyId"/>.</param>
    /// <exception cref="ArgumentException">No published key has <paramref name="keyId"/>.</exception>
    public string SignRaw(string headerJson, string payloadJson, string? keyId = null)
    {
        ArgumentNullException.ThrowIfNull(headerJson);
        ArgumentNullException.ThrowIfNull(payloadJson);
        return SignRaw(Encoding.UTF8.GetBytes(headerJson), Encoding.UTF8.GetBytes(payloadJson), keyId);
    }

    /// <summary>Base64url without padding (RFC 7515 §2), for building token segments by hand.</summary>
    public static string Base64UrlEncode(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);

    /// <summary>Destroys the pool's keys; the pool and its handlers are unusable afterwards.</summary>
    public void Dispose()
    {
        KeyRing ring;
        SigningKey? impostor;
        lock (_keysGate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            ring = _keys;
            impostor = _unpublishedKey;
        }

        foreach (SigningKey key in ring.Published)
        {
            key.Dispose();
        }

        impostor?.Dispose();
    }

    internal void CountJwksRequest() => Interlocked.Increment(ref _jwksRequestCount);

    [GeneratedRegex(@"^(?<region>[a-z]{2}(?:-[a-z]+)+-[0-9]+)_[0-9A-Za-z]+$", RegexOptions.CultureInvariant)]
    private static partial Regex UserPoolIdPattern();

    private static string NewUuid() => Guid.NewGuid().ToString("D");

    private static long Seconds(DateTimeOffset instant) => instant.ToUnixTimeSeconds();

    private static SigningKey? FindKey(KeyRing ring, string keyId) =>
        Array.Find(ring.Published, key => string.Equals(key.KeyId, keyId, StringComparison.Ordinal));

    private static ArgumentException UnknownKey(string keyId, string paramName) =>
        new($"No published key of this pool has the kid '{keyId}'.", paramName);

    private static string[] SplitCompact(string token)
    {
        string[] parts = token.Split('.');
        if (parts.Length != 3)
        {
            throw new ArgumentException("The token is not a compact JWS of three dot-separated segments.", nameof(token));
        }

        return parts;
    }

    private static void WriteRawJson(Utf8JsonWriter writer, string json, string paramName)
    {
        try
        {
            writer.WriteRawValue(json);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"'{json}' is not a JSON value.", paramName, ex);
        }
    }

    private SigningKey CreateUnpublishedKey()
    {
        var created = new SigningKey(SigningKey.NewKeyId(), _keySizeInBits);
        lock (_keysGate)
        {
            ThrowIfDisposed();
            if (_unpublishedKey is null)
            {
                Volatile.Write(ref _unpublishedKey, created);
                return created;
            }
        }

        created.Dispose();
        return _unpublishedKey;
    }

    private SigningKey ResolveKey(string? keyId)
    {
        ThrowIfDisposed();
        KeyRing ring = Volatile.Read(ref _keys);
        return keyId is null ? ring.Current : FindKey(ring, keyId) ?? throw UnknownKey(keyId, nameof(keyId));
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
            NotBefore: options.NotBefore is DateTimeOffset nbf ? Seconds(nbf) : Absent);
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

    private static object Groups(LocalTokenOptions options) => options.Groups.Count == 0 ? Absent : options.Groups.ToArray();

    // Overrides replace a default in place so the claim order stays Cognito's; new claims go last.
    private static byte[] SerializeClaims(List<KeyValuePair<string, object?>> claims, LocalTokenOptions options)
    {
        foreach (KeyValuePair<string, object?> extra in options.AdditionalClaims)
        {
            int index = claims.FindIndex(claim => string.Equals(claim.Key, extra.Key, StringComparison.Ordinal));
            if (index >= 0)
            {
                claims[index] = extra;
            }
            else
            {
                claims.Add(extra);
            }
        }

        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            foreach ((string name, object? value) in claims)
            {
                if (value != Absent && !options.OmitClaims.Contains(name))
                {
                    writer.WritePropertyName(name);
                    WriteClaimValue(writer, name, value, nameof(options));
                }
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteClaimValue(Utf8JsonWriter writer, string name, object? value, string paramName)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case int number:
                writer.WriteNumberValue(number);
                break;
            case long number:
                writer.WriteNumberValue(number);
                break;
            case double number:
                writer.WriteNumberValue(number);
                break;
            case decimal number:
                writer.WriteNumberValue(number);
                break;
            case DateTimeOffset instant:
                writer.WriteNumberValue(Seconds(instant));
                break;
            case JsonElement element:
                element.WriteTo(writer);
                break;
            case IEnumerable<string?> texts:
                writer.WriteStartArray();
                foreach (string? text in texts)
                {
                    writer.WriteStringValue(text);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new ArgumentException(
                    $"The claim '{name}' has a value of type {value.GetType()}; use a string, bool, int, long, double, decimal, DateTimeOffset, JsonElement, a sequence of strings or null.",
                    paramName);
        }
    }

    private static string Sign(SigningKey key, string? kid, List<KeyValuePair<string, object?>> claims, LocalTokenOptions options)
    {
        byte[] payload = SerializeClaims(claims, options);
        var header = new ArrayBufferWriter<byte>(96);
        using (var writer = new Utf8JsonWriter(header, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("kid", kid ?? key.KeyId);
            writer.WriteString("alg", "RS256");
            writer.WriteEndObject();
        }

        return key.Sign(header.WrittenSpan, payload);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>The published keys and which of them signs; replaced as a whole so readers need no lock.</summary>
    private sealed record KeyRing(SigningKey Current, SigningKey[] Published);

    /// <summary>What the tokens of one sign-in share.</summary>
    private sealed record SignInSession(
        string Username, string Subject, string ClientId, string OriginJti, string EventId, long AuthTime, long IssuedAt, long Expires, object NotBefore);
}
