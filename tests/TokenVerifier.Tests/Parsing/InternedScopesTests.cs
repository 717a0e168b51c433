using System.Text;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Parsing;

/// <summary>
/// A scope claim seen before gives the list it gave then; a claim one byte apart gets its own; the split is the claim's
/// at any length; bytes that are not UTF-8 are refused every time, never remembered.
/// </summary>
public sealed class InternedScopesTests
{
    [Fact]
    public void The_same_claim_gives_the_same_read_only_list()
    {
        var claim = "interned-scopes-test/read interned-scopes-test/write"u8;
        var first = InternedScopes.Get(claim);
        var second = InternedScopes.Get(claim.ToArray());

        Assert.Same(first, second);
        Assert.Equal(["interned-scopes-test/read", "interned-scopes-test/write"], second);
        Assert.Throws<NotSupportedException>(() => ((IList<string>)second)[0] = "interned-scopes-test/admin");
    }

    [Fact]
    public void A_claim_one_byte_apart_gets_a_list_of_its_own()
    {
        var first = InternedScopes.Get("interned-scopes-test/a interned-scopes-test/b"u8);
        var second = InternedScopes.Get("interned-scopes-test/a interned-scopes-test/c"u8);

        Assert.NotSame(first, second);
        Assert.Equal(["interned-scopes-test/a", "interned-scopes-test/b"], first);
        Assert.Equal(["interned-scopes-test/a", "interned-scopes-test/c"], second);
    }

    [Theory]
    [InlineData("", new string[0])]
    [InlineData("   ", new string[0])]
    [InlineData("  a  b ", new[] { "a", "b" })]
    [InlineData("a", new[] { "a" })]
    [InlineData("é ü", new[] { "é", "ü" })]
    public void Spaces_separate_scopes_and_runs_of_them_separate_nothing(string claim, string[] scopes) =>
        Assert.Equal(scopes, InternedScopes.Get(Encoding.UTF8.GetBytes(claim)));

    [Fact]
    public void A_claim_too_long_to_remember_is_still_split()
    {
        var claim = string.Join(' ', Enumerable.Range(0, 300).Select(i => $"s{i:D3}"));
        Assert.True(Encoding.UTF8.GetByteCount(claim) > 1024);

        var first = InternedScopes.Get(Encoding.UTF8.GetBytes(claim));
        var second = InternedScopes.Get(Encoding.UTF8.GetBytes(claim));
        Assert.NotSame(first, second);
        Assert.Equal(300, second.Count);
        Assert.Equal("s299", second[^1]);
    }

    [Fact]
    public void Bytes_that_are_not_UTF8_are_refused_each_time()
    {
        byte[] claim = [(byte)'a', (byte)' ', 0xC3, 0x28];
        Assert.Throws<InvalidOperationException>(() => InternedScopes.Get(claim));
        Assert.Throws<InvalidOperationException>(() => InternedScopes.Get(claim));
    }
}
