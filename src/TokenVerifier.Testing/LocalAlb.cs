using System.Buffers.Text;
using System.Collections;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace TokenVerifier.Testing;

/// <summary>
/// A local Application Load Balancer with Cognito authentication: it mints <c>x-amzn-oidc-data</c> tokens exactly as
/// the ALB writes them (ES256 with a JOSE R||S signature, base64url segments <em>with</em> <c>=</c> padding, the
/// signature over the padded text, <c>exp</c>/<c>iss</c>/<c>client</c>/<c>signer</c>/<c>kid</c> in the header) and
/// serves its PEM public key the way <c>https://public-keys.auth.elb.{region}.amazonaws.com/{kid}</c> does, through
/// <see cref="CreateKeyEndpointHandler"/>. Real P-256 keys and signatures, no network.
/// </summary>
public sealed class LocalAlb : IDisposable
{
    /// <summary>The signer ARN used when none is given: account 123456789012, region us-east-1.</summary>
    public const string DefaultSignerArn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/local-alb/50dc6c495c0c9188";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ConcurrentDictionary<string, string> _publishedPems = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Uri> _keyRequests = new();
    private readonly ECDsa _key;
    private readonly TimeProvider _time;
    private int _keyFailureStatus;

    /// <summary>Creates a load balancer with one fresh P-256 key.</summary>
    /// <param name="issuer">The header <c>iss</c>: the user pool's issuer (for example <see cref="LocalUserPool.Issuer"/>).</param>
    /// <param name="clientId">The header <c>client</c>: the app client the listener rule uses.</param>
    /// <param name="signerArn">The load balancer's ARN. Default <see cref="DefaultSignerArn"/>.</param>
    /// <param name="timeProvider">The clock for <c>exp</c>. Default <see cref="TimeProvider.System"/>.</param>
    /// <param name="keyEndpoint">Where the key is served. Default <c>https://public-keys.auth.elb.{region}.amazonaws.com/</c>, region from <paramref name="signerArn"/>.</param>
    public LocalAlb(string issuer, string clientId, string signerArn = DefaultSignerArn, TimeProvider? timeProvider = null, Uri? keyEndpoint = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(issuer);
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentException.ThrowIfNullOrEmpty(signerArn);
        var parts = signerArn.Split(':');
        if (parts.Length != 6 || parts[2] != "elasticloadbalancing")
        {
            throw new ArgumentException($"'{signerArn}' is not an Elastic Load Balancing ARN.", nameof(signerArn));
        }

        Issuer = issuer;
        ClientId = clientId;
        SignerArn = signerArn;
        Region = parts[3];
        KeyEndpoint = keyEndpoint ?? new Uri($"https://public-keys.auth.elb.{Region}.amazonaws.com/", UriKind.Absolute);
        _time = timeProvider ?? TimeProvider.System;
        _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        KeyId = Guid.NewGuid().ToString("D");
        _publishedPems[KeyId] = _key.ExportSubjectPublicKeyInfoPem();
    }

    /// <summary>Creates a load balancer in front of <paramref name="pool"/>, using its issuer and (by default) its default app client.</summary>
    /// <param name="pool">The user pool the listener rule authenticates against.</param>
    /// <param name="clientId">The app client. Default <see cref="LocalUserPool.DefaultClientId"/>.</param>
    /// <param name="signerArn">The load balancer's ARN. Default <see cref="DefaultSignerArn"/>.</param>
    /// <param name="timeProvider">The clock for <c>exp</c>. Default <see cref="TimeProvider.System"/>.</param>
    public LocalAlb(LocalUserPool pool, string? clientId = null, string signerArn = DefaultSignerArn, TimeProvider? timeProvider = null)
        : this((pool ?? throw new ArgumentNullException(nameof(pool))).Issuer, clientId ?? pool.DefaultClientId, signerArn, timeProvider)
    {
    }

    /// <summary>The header <c>iss</c> of minted tokens.</summary>
    public string Issuer { get; }

    /// <summary>The header <c>client</c> of minted tokens.</summary>
    public string ClientId { get; }

    /// <summary>The header <c>signer</c> of minted tokens.</summary>
    public string SignerArn { get; }

    /// <summary>The region of <see cref="SignerArn"/>.</summary>
    public string Region { get; }

    /// <summary>The kid of the load balancer's key (a UUID, as the ALB's are).</summary>
    public string KeyId { get; }

    /// <summary>The base address of the key endpoint; the key is at <c>{KeyEndpoint}{kid}</c>.</summary>
    public Uri KeyEndpoint { get; }

    /// <summary>How many requests reached the key endpoint.</summary>
    public int KeyRequestCount => _keyRequests.Count;

    /// <summary>The addresses requested from the key endpoint, in order.</summary>
    public IReadOnlyList<Uri> KeyRequests => [.. _keyRequests];

    /// <summary>When set, the key endpoint answers every request with this status (a 3xx with a <c>Location</c>); null serves keys.</summary>
    public HttpStatusCode? KeyFailureStatus
    {
        get => Volatile.Read(ref _keyFailureStatus) is var s and not 0 ? (HttpStatusCode)s : null;
        set => Volatile.Write(ref _keyFailureStatus, value is null ? 0 : (int)value.Value);
    }

    /// <summary>Mints an <c>x-amzn-oidc-data</c> token as the ALB does.</summary>
    /// <param name="options">What to put in it; default a token for <c>alb-user</c>.</param>
    public string MintData(LocalAlbTokenOptions? options = null)
    {
        options ??= new LocalAlbTokenOptions();
        var issuer = options.Issuer ?? Issuer;
        var exp = (_time.GetUtcNow() + options.Lifetime).ToUnixTimeSeconds();
        var header = WriteJson(w =>
        {
            w.WriteString("alg", "ES256");
            w.WriteString("kid", options.KeyId ?? KeyId);
            w.WriteString("signer", options.Signer ?? SignerArn);
            w.WriteString("iss", issuer);
            w.WriteString("client", options.Client ?? ClientId);
            w.WriteNumber("exp", exp);
        });

        var claims = new Dictionary<string, object?>(StringComparer.Ordinal) { ["sub"] = options.Subject };
        if (options.Email is not null)
        {
            claims["email_verified"] = "true";
            claims["email"] = options.Email;
        }

        if (options.Username is not null)
        {
            claims["username"] = options.Username;
        }

        claims["exp"] = exp;
        claims["iss"] = issuer;
        foreach (var (name, value) in options.AdditionalClaims)
        {
            claims[name] = value;
        }

        var payload = WriteJson(w =>
        {
            foreach (var (name, value) in claims)
            {
                w.WritePropertyName(name);
                WriteValue(w, value);
            }
        });
        return SignRaw(header, payload);
    }

    /// <summary>
    /// Signs any header and payload with the load balancer's key: padded segments, signature over the padded text.
    /// For hostile tokens (metadata in the payload, a missing member, another algorithm name).
    /// </summary>
    /// <param name="headerJson">The header, written as given.</param>
    /// <param name="payloadJson">The payload, written as given.</param>
    /// <param name="signatureFormat">R||S as the ALB writes it, or DER to make a signature the verifier must refuse.</param>
    public string SignRaw(string headerJson, string payloadJson, DSASignatureFormat signatureFormat = DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
    {
        ArgumentNullException.ThrowIfNull(headerJson);
        ArgumentNullException.ThrowIfNull(payloadJson);
        var signingInput = EncodeSegment(Encoding.UTF8.GetBytes(headerJson)) + "." + EncodeSegment(Encoding.UTF8.GetBytes(payloadJson));
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, signatureFormat);
        return signingInput + "." + EncodeSegment(signature);
    }

    /// <summary>Base64url with <c>=</c> padding, as the ALB encodes each segment.</summary>
    /// <param name="bytes">The bytes to encode.</param>
    public static string EncodeSegment(ReadOnlySpan<byte> bytes)
    {
        var text = Base64Url.EncodeToString(bytes);
        return text.Length % 4 == 0 ? text : text + new string('=', 4 - (text.Length % 4));
    }

    /// <summary>Replaces the signature segment of <paramref name="token"/> with <paramref name="signature"/>, padded.</summary>
    /// <param name="token">A minted token.</param>
    /// <param name="signature">The new signature bytes (another length, for example).</param>
    public static string ReplaceSignature(string token, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token[..(token.LastIndexOf('.') + 1)] + EncodeSegment(signature);
    }

    /// <summary>Serves <paramref name="pem"/> under <paramref name="keyId"/> (another curve, an RSA key, not PEM at all).</summary>
    /// <param name="keyId">The kid.</param>
    /// <param name="pem">The response body.</param>
    public void PublishPem(string keyId, string pem)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        ArgumentNullException.ThrowIfNull(pem);
        _publishedPems[keyId] = pem;
    }

    /// <summary>The PEM served for the load balancer's own key.</summary>
    public string GetPublicKeyPem() => _publishedPems.TryGetValue(KeyId, out var pem) ? pem : _key.ExportSubjectPublicKeyInfoPem();

    /// <summary>A handler that answers <c>GET {KeyEndpoint}{kid}</c> with the PEM; route the verifier's key client to it.</summary>
    public HttpMessageHandler CreateKeyEndpointHandler() => new AlbKeyEndpointHandler(this);

    /// <summary>Releases the key.</summary>
    public void Dispose() => _key.Dispose();

    internal string? FindPublicKeyPem(string keyId) => _publishedPems.TryGetValue(keyId, out var pem) ? pem : null;

    internal void CountKeyRequest(Uri uri) => _keyRequests.Enqueue(uri);

    private static string WriteJson(Action<Utf8JsonWriter> members)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            members(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case int i:
                writer.WriteNumberValue(i);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case double d:
                writer.WriteNumberValue(d);
                break;
            case decimal m:
                writer.WriteNumberValue(m);
                break;
            case IDictionary<string, object?> map:
                writer.WriteStartObject();
                foreach (var (name, item) in map)
                {
                    writer.WritePropertyName(name);
                    WriteValue(writer, item);
                }

                writer.WriteEndObject();
                break;
            case IEnumerable items:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new ArgumentException($"A claim value of type {value.GetType().Name} cannot be written as JSON.", nameof(value));
        }
    }
}
