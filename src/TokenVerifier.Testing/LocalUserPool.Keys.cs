using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace TokenVerifier.Testing;

// The pool's signing keys: rotation, removal and the published JWKS.
public sealed partial class LocalUserPool
{
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
        using (var writer = new Utf8JsonWriter(buffer, ClaimsPayloadWriter.WriterOptions))
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

    private static SigningKey? FindKey(KeyRing ring, string keyId) =>
        Array.Find(ring.Published, key => string.Equals(key.KeyId, keyId, StringComparison.Ordinal));

    private static ArgumentException UnknownKey(string keyId, string paramName) =>
        new($"No published key of this pool has the kid '{keyId}'.", paramName);

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

    /// <summary>The published keys and which of them signs; replaced as a whole so readers need no lock.</summary>
    private sealed record KeyRing(SigningKey Current, SigningKey[] Published);
}
