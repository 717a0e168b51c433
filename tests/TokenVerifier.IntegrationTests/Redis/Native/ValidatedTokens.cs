using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using TokenVerifier.Keys;
using TokenVerifier.Testing;
using TokenVerifier.Validation;

namespace TokenVerifier.IntegrationTests.Redis.Native;

/// <summary>Real tokens of a local pool, validated without revocation: what a store is asked about.</summary>
internal sealed class ValidatedTokens : IDisposable
{
    private readonly LocalUserPool _pool;
    private readonly HttpClient _jwks;
    private readonly UserPoolTokenValidator _validator;

    public ValidatedTokens(string poolId = "us-east-1_NativeRd1")
    {
        _pool = new LocalUserPool(poolId);
        _jwks = new HttpClient(_pool.CreateJwksHandler());
        // A loaded machine can take longer than the default half second to hand over the in-process key set.
        var options = new UserPoolValidationOptions { UserPoolId = _pool.UserPoolId, MaxKeyFetchWait = TimeSpan.FromSeconds(10) };
        options.ClientIds.Add(_pool.DefaultClientId);
        _validator = new UserPoolTokenValidator(options, new SigningKeyCacheRegistry(() => _jwks));
    }

    /// <summary>The pool's issuer: what every revocation of its tokens names.</summary>
    public string Issuer => _pool.Issuer;

    /// <summary>A pool's part of a Redis key, written out here (SHA-256 of the issuer, 12 bytes, base64url) so a change of the layout fails a test.</summary>
    public static string PoolOf(string issuer) => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(issuer)).AsSpan(0, 12));

    public async Task<UserPoolToken> ValidAsync(string user, DateTimeOffset? issuedAt = null, string? jti = null, string? originJti = null)
    {
        var result = await _validator.ValidateAsync(_pool.MintAccessToken(new LocalTokenOptions { Username = user, Subject = user, IssuedAt = issuedAt, Jti = jti, OriginJti = originJti }));
        Assert.True(result.IsValid, result.Failure.ToString());
        return result.Token!;
    }

    public void Dispose()
    {
        _jwks.Dispose();
        _pool.Dispose();
    }
}
