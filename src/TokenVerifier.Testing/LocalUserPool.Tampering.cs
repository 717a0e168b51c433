using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace TokenVerifier.Testing;

// Tokens a verifier must refuse: an unpublished key, an edited payload or signature, hand-built JSON.
public sealed partial class LocalUserPool
{
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
        using (var writer = new Utf8JsonWriter(buffer, ClaimsPayloadWriter.WriterOptions))
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
}
