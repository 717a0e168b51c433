using System.Security.Claims;
using TokenVerifier.Claims;
using TokenVerifier.Testing;
using TokenVerifier.Tests.Validation;

namespace TokenVerifier.Tests.Claims;

/// <summary>
/// <see cref="UserPoolClaimsIdentity.HasAnyClaimExactly"/>, what the scope and group requirements ask on every request:
/// it must answer as an ordinal search through <see cref="ClaimsIdentity.Claims"/> does (the type compared exactly,
/// unlike <see cref="ClaimsIdentity.HasClaim(string, string)"/>), and create no claim while the identity has none yet.
/// </summary>
public sealed class ExactClaimLookupTests(ExactClaimLookupTests.PoolFixture fixture) : IClassFixture<ExactClaimLookupTests.PoolFixture>
{
    /// <summary>One pool for the class: generating RSA keys is what makes tests slow.</summary>
    public sealed class PoolFixture : IDisposable
    {
        internal TestPool T { get; } = new();

        public void Dispose() => T.Dispose();
    }

    private async Task<UserPoolClaimsIdentity> IdentityAsync(LocalTokenOptions options)
    {
        var result = await fixture.T.ValidateAsync(fixture.T.Pool.MintAccessToken(options));
        Assert.True(result.IsValid, result.FailureMessage);
        var identity = Assert.IsType<UserPoolClaimsIdentity>(result.Identity);
        Assert.False(identity.ClaimsCreated);
        return identity;
    }

    private static LocalTokenOptions Carol()
    {
        var options = new LocalTokenOptions { Username = "carol" };
        options.Groups.Add("admins");
        options.Groups.Add("Sales");
        options.Scopes.Add("orders/read");
        options.Scopes.Add("orders/write");
        return options;
    }

    // The answer of the code the lookup replaced: every claim, both parts compared ordinally.
    private static bool Oracle(ClaimsIdentity identity, string type, string[] values) =>
        identity.Claims.Any(c => string.Equals(c.Type, type, StringComparison.Ordinal) && values.Contains(c.Value, StringComparer.Ordinal));

    public static TheoryData<string, string[]> Lookups => new()
    {
        { "cognito:groups", ["admins"] },
        { "cognito:groups", ["ops", "Sales"] },
        { "cognito:groups", ["ADMINS", "sales"] },
        { "COGNITO:GROUPS", ["admins"] },
        { "cognito:groups", ["orders/read"] },
        { "scope", ["orders/write"] },
        { "scope", ["orders/read orders/write"] },
        { "Scope", ["orders/read"] },
        { "scope", ["admins"] },
        { "username", ["carol"] },
        { "Username", ["carol"] },
        { "token_use", ["id", "access"] },
        { "tokenverifier:pool", ["us-east-1_TestPool1"] },
        { "tokenverifier:pool", ["us-east-1_testpool1"] },
        { "missing", ["carol"] },
        { "", [""] },
    };

    [Theory]
    [MemberData(nameof(Lookups))]
    public async Task Answers_as_an_ordinal_search_of_the_claims_without_creating_them(string type, string[] values)
    {
        var identity = await IdentityAsync(Carol());
        var expected = Oracle(await IdentityAsync(Carol()), type, values);

        Assert.Equal(expected, identity.HasAnyClaimExactly(type, values));
        Assert.False(identity.ClaimsCreated);
    }

    [Theory]
    [InlineData("Scope", "scope")]
    [InlineData("COGNITO:GROUPS", "cognito:groups")]
    [InlineData("Username", "username")]
    public async Task A_claim_named_like_the_groups_or_scope_but_for_case_is_found_only_under_its_own_name(string name, string canonical)
    {
        // The exact twin omitted: a token may not carry both. The old search compared types exactly, so the variant
        // never counted as a scope or group; the token's own (empty) lists give the same answer.
        var options = Carol();
        options.OmitClaims.Add(canonical);
        options.AdditionalClaims[name] = new[] { "admins", "orders/read", "carol" };
        var values = new[] { "admins", "orders/read", "carol" };

        foreach (var type in new[] { name, canonical })
        {
            var identity = await IdentityAsync(options);
            Assert.Equal(Oracle(await IdentityAsync(options), type, values), identity.HasAnyClaimExactly(type, values));
            Assert.False(identity.ClaimsCreated);
        }
    }

    [Fact]
    public async Task Claims_added_or_removed_after_the_claims_exist_are_seen()
    {
        // A claims transformation changes the identity's list; from then on the list, not the token, is the answer.
        var identity = await IdentityAsync(Carol());
        identity.AddClaim(new Claim("scope", "reports/read"));
        identity.RemoveClaim(identity.FindFirst(c => c.Type == "cognito:groups" && c.Value == "admins"));

        Assert.True(identity.HasAnyClaimExactly("scope", ["reports/read"]));
        Assert.False(identity.HasAnyClaimExactly("cognito:groups", ["admins"]));
        Assert.True(identity.HasAnyClaimExactly("cognito:groups", ["Sales"]));
    }
}
