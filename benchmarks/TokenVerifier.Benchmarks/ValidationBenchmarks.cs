using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TokenVerifier.Claims;
using TokenVerifier.Keys;
using TokenVerifier.Testing;
using TokenVerifier.Validation;

namespace TokenVerifier.Benchmarks;

/// <summary>
/// One token, every way of verifying it, side by side: the raw RSA verification (the floor), IdentityModel's
/// <see cref="JsonWebTokenHandler"/> as JwtBearer runs it, and our validator cold and warm; with and without building
/// the claims principal a request ends up with.
/// </summary>
[MemoryDiagnoser]
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet owns the lifetime: [GlobalCleanup] releases the fields; the class must stay unsealed.")]
public class ValidationBenchmarks
{
    private const int DistinctTokens = 2048;

    private LocalUserPool _pool = null!;
    private HttpClient _jwksClient = null!;
    private string _token = null!;

    // What the warm rows present: the token's characters in a string of their own, as each request's header brings them.
    // Given the very string the entry was made from, the old UTF-16 key was matched by reference, not compared.
    private string _repeated = null!;
    private byte[] _signingInput = null!;
    private byte[] _signature = null!;
    private RSA _rsa = null!;
    private JsonWebTokenHandler _handler = null!;
    private TokenValidationParameters _withJsonWebKey = null!;
    private TokenValidationParameters _withRsaKey = null!;
    private UserPoolTokenValidator _cold = null!;
    private UserPoolTokenValidator _warm = null!;
    private UserPoolTokenValidator _missing = null!;
    private string[] _distinct = [];
    private string _foreign = null!;
    private string _foreignLarge = null!;
    private string _badSignature = null!;
    private string _badSignatureLarge = null!;
    private byte[] _signingInputLarge = null!;
    private byte[] _signatureLarge = null!;
    private int _next;

    /// <summary>The ~1 KB access token every "ours" row validates.</summary>
    internal string Token => _token;

    /// <summary>The ~16,000-character token of the 16 KiB rows, with its signature changed.</summary>
    internal string LargeToken => _badSignatureLarge;

    /// <summary>The RSA floor of the 16 KiB rows.</summary>
    internal bool VerifyLarge() => RsaVerifyDataLarge();

    /// <summary>Mints the token and builds every verifier with its keys already loaded.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _pool = new LocalUserPool("us-east-1_Benchmark1");
        _token = _pool.MintAccessToken(BenchmarkTokenOptions.Create("benchmark-user"));
        (_signingInput, _signature) = BenchmarkToken.Split(_token);
        _repeated = new string(_token.AsSpan());

        var publicKey = _pool.ExportPublicKey(_pool.CurrentKeyId);
        _rsa = RSA.Create(publicKey);

        // How a careful user configures IdentityModel for a Cognito access token: issuer, lifetime, RS256 only, and no
        // audience (access tokens have none). With a JsonWebKey as JwtBearer sees a JWKS, and with a plain RSA key.
        _handler = new JsonWebTokenHandler();
        var jwk = JsonWebKeySet.Create(_pool.GetJwksJson()).Keys[0];
        _withJsonWebKey = IdentityModelParameters(jwk);
        _withRsaKey = IdentityModelParameters(new RsaSecurityKey(publicKey) { KeyId = _pool.CurrentKeyId });

        _jwksClient = new HttpClient(_pool.CreateJwksHandler());
        var registry = new SigningKeyCacheRegistry(() => _jwksClient);
        _cold = Validator(registry, cacheSize: 0);
        _warm = Validator(registry, cacheSize: 10_000);
        _missing = Validator(registry, cacheSize: DistinctTokens / 2);
        _cold.KeyCaches[0].RefreshAsync().GetAwaiter().GetResult();
        Check(OursCold().GetAwaiter().GetResult(), "cold");
        Check(_warm.ValidateAsync(_token).AsTask().GetAwaiter().GetResult().IsValid, "warm (first request)");
        Check(OursWarm().GetAwaiter().GetResult(), "warm");
        Check(IdentityModelJsonWebKey().GetAwaiter().GetResult(), "IdentityModel (JsonWebKey)");
        Check(IdentityModelRsaSecurityKey().GetAwaiter().GetResult(), "IdentityModel (RsaSecurityKey)");
        Check(RsaVerifyData(), "RSA.VerifyData");
        Check(OursColdClaimsRead().GetAwaiter().GetResult() == "benchmark-user".Length + 3, "cold + claims read");

        // IdentityModel keeps the scope claim as one space-separated string, so its HasClaim finds no single scope.
        Check(IdentityModelJsonWebKeyClaimsRead().GetAwaiter().GetResult() == "benchmark-user".Length + 1, "IdentityModel + claims read");
    }

    /// <summary>
    /// Also mints the forged tokens: from a pool the validator does not trust (1 KB, and padded with one long claim to
    /// about 16,000 characters, under the 16 KiB limit), and the trusted pool's tokens of both sizes with one signature
    /// character changed.
    /// </summary>
    [GlobalSetup(Targets = [nameof(ForgedUnknownIssuer), nameof(ForgedUnknownIssuerLarge), nameof(ForgedBadSignature), nameof(ForgedBadSignatureLarge), nameof(RsaVerifyDataLarge)])]
    public void SetupForged()
    {
        Setup();
        SetupForgedTokens();
    }

    /// <summary>The forged tokens and the 16 KiB floor's input, for a setup that has already run <see cref="Setup"/>.</summary>
    public void SetupForgedTokens()
    {
        using var foreignPool = new LocalUserPool("us-east-1_Foreign99");
        var large = BenchmarkTokenOptions.Create("benchmark-user");
        large.AdditionalClaims["custom:padding"] = new string('x', 11_000);
        _foreign = foreignPool.MintAccessToken(BenchmarkTokenOptions.Create("benchmark-user"));
        _foreignLarge = foreignPool.MintAccessToken(large);
        _badSignature = WithChangedSignature(_token);
        var signedLarge = _pool.MintAccessToken(large);
        (_signingInputLarge, _signatureLarge) = BenchmarkToken.Split(signedLarge);
        _badSignatureLarge = WithChangedSignature(signedLarge);
        Check(RsaVerifyDataLarge(), "RSA.VerifyData, 16 KiB");
        Refused(ForgedUnknownIssuer(), TokenFailure.UnknownIssuer);
        Refused(ForgedUnknownIssuerLarge(), TokenFailure.UnknownIssuer);
        Refused(ForgedBadSignature(), TokenFailure.InvalidSignature);
        Refused(ForgedBadSignatureLarge(), TokenFailure.InvalidSignature);
    }

    /// <summary>Also mints the distinct tokens the cache-miss row cycles through, so minting is never measured.</summary>
    [GlobalSetup(Target = nameof(OursColdCacheMiss))]
    public void SetupDistinctTokens()
    {
        Setup();
        _distinct = new string[DistinctTokens];
        for (var i = 0; i < _distinct.Length; i++)
        {
            _distinct[i] = _pool.MintAccessToken(BenchmarkTokenOptions.Create($"benchmark-user-{i:D4}"));
        }

        Check(OursColdCacheMiss().GetAwaiter().GetResult(), "cold, cache on");
    }

    /// <summary>Releases the pool and its client.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _jwksClient.Dispose();
        _rsa.Dispose();
        _pool.Dispose();
    }

    /// <summary>The floor: RSA PKCS#1 v1.5 SHA-256 verification of the signing input, nothing else.</summary>
    [Benchmark(Baseline = true, Description = "RSA.VerifyData (floor)")]
    public bool RsaVerifyData() =>
        _rsa.VerifyData(_signingInput, _signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    /// <summary>
    /// The floor of the 16 KiB rows: the same verification over the signing input of the ~16,000-character token (the
    /// hash covers 15 KB more than the 1 KB floor's).
    /// </summary>
    [Benchmark(Description = "RSA.VerifyData, 16 KiB (floor of the 16 KiB rows)")]
    public bool RsaVerifyDataLarge() =>
        _rsa.VerifyData(_signingInputLarge, _signatureLarge, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    /// <summary>IdentityModel with the key as a JWKS entry, as JwtBearer has it.</summary>
    [Benchmark(Description = "JsonWebTokenHandler, JsonWebKey")]
    public async Task<bool> IdentityModelJsonWebKey() =>
        (await _handler.ValidateTokenAsync(_token, _withJsonWebKey)).IsValid;

    /// <summary>IdentityModel with a plain RSA key.</summary>
    [Benchmark(Description = "JsonWebTokenHandler, RsaSecurityKey")]
    public async Task<bool> IdentityModelRsaSecurityKey() =>
        (await _handler.ValidateTokenAsync(_token, _withRsaKey)).IsValid;

    /// <summary>Our validator without the validated-token cache: every call parses and verifies.</summary>
    [Benchmark(Description = "UserPoolTokenValidator, cold")]
    public async Task<bool> OursCold() => (await _cold.ValidateAsync(_token)).IsValid;

    /// <summary>
    /// Our validator with the cache on, every call a token it has not seen (twice the capacity, cycled, so least-recently
    /// used eviction never lets one hit): a miss, a full validation, an insert and an eviction.
    /// </summary>
    [Benchmark(Description = "UserPoolTokenValidator, cold, cache on (miss)")]
    public async Task<bool> OursColdCacheMiss()
    {
        var token = _distinct[_next];
        _next = (_next + 1) % _distinct.Length;
        return (await _missing.ValidateAsync(token)).IsValid;
    }

    /// <summary>Our validator serving a repeated token from the validated-token cache.</summary>
    [Benchmark(Description = "UserPoolTokenValidator, warm (cache hit)")]
    public async Task<bool> OursWarm() => (await _warm.ValidateAsync(_repeated)).IsValid;

    /// <summary>A token signed by a pool that is not configured, about 1 KB: refused on its issuer, before any key.</summary>
    [Benchmark(Description = "forged: unknown issuer, 1 KB")]
    public TokenFailure ForgedUnknownIssuer() => Failure(_foreign);

    /// <summary>The same at about 16,000 characters.</summary>
    [Benchmark(Description = "forged: unknown issuer, 16 KiB")]
    public TokenFailure ForgedUnknownIssuerLarge() => Failure(_foreignLarge);

    /// <summary>The benchmark token with one signature character changed: refused by the RSA verification.</summary>
    [Benchmark(Description = "forged: bad signature, 1 KB")]
    public TokenFailure ForgedBadSignature() => Failure(_badSignature);

    /// <summary>The same at about 16,000 characters.</summary>
    [Benchmark(Description = "forged: bad signature, 16 KiB")]
    public TokenFailure ForgedBadSignatureLarge() => Failure(_badSignatureLarge);

    /// <summary>IdentityModel plus the principal JwtBearer builds from the result, every claim materialised.</summary>
    [Benchmark(Description = "JsonWebTokenHandler, JsonWebKey + principal")]
    public async Task<int> IdentityModelJsonWebKeyPrincipal()
    {
        var result = await _handler.ValidateTokenAsync(_token, _withJsonWebKey);
        return CountClaims(new ClaimsPrincipal(result.ClaimsIdentity));
    }

    /// <summary>Our validator without the cache, plus the principal the handler builds.</summary>
    [Benchmark(Description = "UserPoolTokenValidator, cold + principal")]
    public async Task<int> OursColdPrincipal() =>
        CountClaims(new ClaimsPrincipal((await _cold.ValidateAsync(_token)).Identity!));

    /// <summary>
    /// Our validator without the cache, plus what a request reads: the principal the handler builds, the user name, one
    /// group (<see cref="ClaimsPrincipal.IsInRole"/>, as <c>[Authorize(Roles)]</c> asks) and one scope.
    /// </summary>
    [Benchmark(Description = "UserPoolTokenValidator, cold + claims read")]
    public async Task<int> OursColdClaimsRead() =>
        ReadClaims(new ClaimsPrincipal((await _cold.ValidateAsync(_token)).Identity!));

    /// <summary>IdentityModel plus the same reads of the principal JwtBearer builds.</summary>
    [Benchmark(Description = "JsonWebTokenHandler, JsonWebKey + claims read")]
    public async Task<int> IdentityModelJsonWebKeyClaimsRead()
    {
        var result = await _handler.ValidateTokenAsync(_token, _withJsonWebKey);
        return ReadClaims(new ClaimsPrincipal(result.ClaimsIdentity));
    }

    /// <summary>A cache hit plus the principal the handler builds: new identity and claims for every request.</summary>
    [Benchmark(Description = "UserPoolTokenValidator, warm + principal")]
    public async Task<int> OursWarmPrincipal() =>
        CountClaims(new ClaimsPrincipal((await _warm.ValidateAsync(_repeated)).Identity!));

    // Enumerating makes sure no stack can defer building its claims past the measurement.
    private static int CountClaims(ClaimsPrincipal principal)
    {
        var count = 0;
        foreach (var claim in principal.Claims)
        {
            count += claim.Value.Length > 0 ? 1 : 0;
        }

        return count;
    }

    private static void Refused(TokenFailure failure, TokenFailure expected)
    {
        if (failure != expected)
        {
            throw new InvalidOperationException($"A forged benchmark token was refused with {failure}, not {expected}.");
        }
    }

    // A character in the middle of the signature: the token keeps its shape and canonical encoding.
    private static string WithChangedSignature(string token)
    {
        var chars = token.ToCharArray();
        var i = token.LastIndexOf('.') + 100;
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        return new string(chars);
    }

    // Forged tokens complete synchronously (no key fetch: the issuer is refused first, or the kid is cached).
    private TokenFailure Failure(string token)
    {
        var pending = _cold.ValidateAsync(token);
        return pending.IsCompletedSuccessfully ? pending.Result.Failure : pending.AsTask().GetAwaiter().GetResult().Failure;
    }

    // What an endpoint typically asks of its user; every answer feeds the result so none can be skipped.
    private static int ReadClaims(ClaimsPrincipal principal) =>
        principal.Identity!.Name!.Length
        + (principal.IsInRole("developers") ? 1 : 0)
        + (principal.HasClaim(UserPoolClaimTypes.Scope, "orders/write") ? 2 : 0);

    private static void Check(bool valid, string row)
    {
        if (!valid)
        {
            throw new InvalidOperationException($"The benchmark token did not validate with {row}.");
        }
    }

    private UserPoolTokenValidator Validator(SigningKeyCacheRegistry registry, int cacheSize)
    {
        var options = new UserPoolValidationOptions { UserPoolId = _pool.UserPoolId, ValidatedTokenCacheSize = cacheSize };
        options.ClientIds.Add(_pool.DefaultClientId);
        return new UserPoolTokenValidator(options, registry);
    }

    private TokenValidationParameters IdentityModelParameters(SecurityKey key) => new()
    {
        ValidIssuer = _pool.Issuer,
        ValidateAudience = false,
        ValidateLifetime = true,
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        IssuerSigningKey = key,
        NameClaimType = "username",
        RoleClaimType = "cognito:groups",
    };
}
