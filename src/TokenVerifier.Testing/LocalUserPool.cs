using System.Net;
using System.Security.Cryptography;
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
        : this(userPoolId, issuer, timeProvider, keySizeInBits, importKey: null)
    {
    }

    // Both public constructors: the names and the clock, then the first key, generated or (importKey) imported.
    private LocalUserPool(string userPoolId, string? issuer, TimeProvider? timeProvider, int keySizeInBits, Func<SigningKey>? importKey)
    {
        ArgumentNullException.ThrowIfNull(userPoolId);
        Match match = UserPoolIdPattern().Match(userPoolId);
        if (!match.Success)
        {
            throw new ArgumentException(
                $"'{userPoolId}' is not a user pool id: expected '{{region}}_{{id}}' with an AWS region such as 'us-east-1' and an alphanumeric id, for example 'us-east-1_LocalPool1'.",
                nameof(userPoolId));
        }

        if (importKey is null)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(keySizeInBits);
        }

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
        var first = importKey is null ? new SigningKey(SigningKey.NewKeyId(), keySizeInBits) : importKey();
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

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
