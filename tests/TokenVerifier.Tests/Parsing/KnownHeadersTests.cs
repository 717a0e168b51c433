using TokenVerifier.Tests.Validation;
using TokenVerifier.Testing;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Parsing;

/// <summary>
/// A validated token's header is remembered so the next token with the same characters skips reading it: only validated
/// headers go in, a header is served only when every character matches, and what it gives is what the reader reads.
/// Each test has a pool (and so a kid, and so headers) of its own, as the table is shared by the process.
/// </summary>
public sealed class KnownHeadersTests : IDisposable
{
    private readonly TestPool _t = new();

    public void Dispose() => _t.Dispose();

    [Fact]
    public async Task Only_the_header_of_a_token_that_validated_is_remembered()
    {
        var token = _t.Pool.MintAccessToken();
        var header = token[..token.IndexOf('.', StringComparison.Ordinal)];
        Assert.False(KnownHeaders.Contains(header));

        // Same header, refused for its signature, its expiry, its token use: none of them puts it in.
        Assert.Equal(TokenFailure.InvalidSignature, await _t.FailureOfAsync(LocalUserPool.TamperSignature(token)));
        Assert.Equal(TokenFailure.Expired, await _t.FailureOfAsync(_t.Pool.MintAccessToken(new LocalTokenOptions { Lifetime = TimeSpan.FromMinutes(5), IssuedAt = TestPool.Start.AddHours(-1) })));
        Assert.Equal(TokenFailure.InvalidTokenUse, await _t.FailureOfAsync(_t.Pool.MintIdToken()));
        Assert.False(KnownHeaders.Contains(header));

        Assert.True((await _t.ValidateAsync(token)).IsValid);
        Assert.True(KnownHeaders.Contains(header));
    }

    [Fact]
    public async Task A_header_one_character_apart_from_a_remembered_one_is_read_and_judged_afresh()
    {
        Assert.True((await _t.ValidateAsync(_t.Pool.MintAccessToken())).IsValid);
        var kid = _t.Pool.CurrentKeyId;

        Assert.Equal(TokenFailure.UnsupportedHeader, await _t.FailureOfAsync(RawTokens.Signed(_t, $"{{\"kid\":\"{kid}\",\"alg\":\"RS256\",\"crit\":[\"exp\"]}}", RawTokens.AccessPayload(_t))));
        Assert.Equal(TokenFailure.UnsupportedAlgorithm, await _t.FailureOfAsync(RawTokens.Signed(_t, $"{{\"kid\":\"{kid}\",\"alg\":\"RS384\"}}", RawTokens.AccessPayload(_t))));
        Assert.Equal(TokenFailure.Malformed, await _t.FailureOfAsync(RawTokens.Signed(_t, $"{{\"kid\":\"{kid}\",\"alg\":\"RS256\",\"alg\":\"RS256\"}}", RawTokens.AccessPayload(_t))));

        // The same members spaced differently are other characters: read again, and accepted on their merits.
        Assert.True((await _t.ValidateAsync(RawTokens.Signed(_t, $"{{ \"kid\":\"{kid}\", \"alg\":\"RS256\" }}", RawTokens.AccessPayload(_t)))).IsValid);
    }

    [Fact]
    public async Task A_remembered_header_gives_what_the_reader_reads()
    {
        var token = _t.Pool.MintAccessToken();
        Assert.Equal(TokenFailure.None, JwtReader.TryRead(token, 16_384, out var read, out _));
        Assert.True((await _t.ValidateAsync(token)).IsValid);

        Assert.Equal(TokenFailure.None, JwtReader.TryRead(token, 16_384, out var remembered, out _));
        Assert.Equal((read!.Algorithm, read.AlgorithmIsString, read.KeyId, read.HasCritical), (remembered!.Algorithm, remembered.AlgorithmIsString, remembered.KeyId, remembered.HasCritical));
        Assert.Equal("RS256", remembered.Algorithm);
        Assert.Equal(_t.Pool.CurrentKeyId, remembered.KeyId);
    }
}
