using System.Text;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Parsing;

/// <summary>
/// The known names are found by their bytes (three-letter names by one switch on them) and dispatched on by number
/// (<see cref="KnownName"/>): each wire name must come back as itself, with a number of its own, and a name that differs
/// in one byte or in case must not be taken for it.
/// </summary>
public sealed class InternedNamesTests
{
    private static readonly string[] WireNames =
    [
        "iss", "sub", "exp", "iat", "nbf", "jti", "aud", "alg", "kid", "typ", "scope", "email", "version", "username",
        "event_id", "token_use", "client_id", "auth_time", "origin_jti", "cognito:groups", "email_verified", "cognito:username",
    ];

    [Fact]
    public void Every_known_name_reads_as_itself_with_a_number_of_its_own()
    {
        var seen = new HashSet<KnownName>();
        foreach (var wire in WireNames)
        {
            var name = InternedNames.Get(Encoding.UTF8.GetBytes(wire), ignoreCase: true, out var hash, out var known);

            Assert.Equal(wire, name);
            Assert.NotEqual(KnownName.None, known);
            Assert.True(seen.Add(known), $"'{wire}' shares its number with another name.");
            Assert.Equal(string.GetHashCode(wire, StringComparison.OrdinalIgnoreCase), hash);
        }

        Assert.Equal(Enum.GetValues<KnownName>().Length - 1, seen.Count);
    }

    [Theory]
    [InlineData("ISS")]
    [InlineData("is")]
    [InlineData("isss")]
    [InlineData("isz")]
    [InlineData("zss")]
    [InlineData("Scope")]
    [InlineData("client_iD")]
    [InlineData("i\u00e9")]
    public void A_name_that_differs_is_not_known(string wire)
    {
        var name = InternedNames.Get(Encoding.UTF8.GetBytes(wire), ignoreCase: true, out var hash, out var known);

        Assert.Equal(KnownName.None, known);
        Assert.Equal(wire, name);
        Assert.Equal(string.GetHashCode(wire, StringComparison.OrdinalIgnoreCase), hash);
    }
}
