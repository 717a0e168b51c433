using TokenVerifier.Keys;
using TokenVerifier.Testing;
using TokenVerifier.Validation;

namespace TokenVerifier.IntegrationTests.Redis.Native;

/// <summary>Real tokens of a local pool, validated without revocation: what a store is asked about.</summary>
internal sealed class ValidatedTokens : IDisposable
{
    private readonly LocalUserPool _pool = new("us-east-1_NativeRd1");
    private readonly HttpClient _jwks;
    private readonly UserPoolTokenValidator _validator;

    public ValidatedTokens()
    {
        _jwks = new HttpClient(_pool.CreateJwksHandler());
        var options = new UserPoolValidationOptions { UserPoolId = _pool.UserPoolId };
        options.ClientIds.Add(_pool.DefaultClientId);
        _validator = new UserPoolTokenValidator(options, new SigningKeyCacheRegistry(() => _jwks));
    }

    public async Task<UserPoolToken> ValidAsync(string user, DateTimeOffset? issuedAt = null)
    {
        var result = await _validator.ValidateAsync(_pool.MintAccessToken(new LocalTokenOptions { Username = user, Subject = user, IssuedAt = issuedAt }));
        Assert.True(result.IsValid, result.Failure.ToString());
        return result.Token!;
    }

    public void Dispose()
    {
        _jwks.Dispose();
        _pool.Dispose();
    }
}
