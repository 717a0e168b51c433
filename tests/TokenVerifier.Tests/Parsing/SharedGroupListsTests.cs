using TokenVerifier.Tests.Validation;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Parsing;

/// <summary>
/// A group list whose JSON text was read before gives the list it gave then, and only a list read without fault is
/// kept: a token whose groups are wrong, or whose other claims are, is judged in full each time.
/// </summary>
public sealed class SharedGroupListsTests : IDisposable
{
    private readonly TestPool _t = new();

    public void Dispose() => _t.Dispose();

    [Fact]
    public async Task Tokens_with_the_same_group_text_share_one_read_only_list()
    {
        var (first, second) = await ValidatePairAsync(0);
        Assert.Equal(["shared-groups-a", "shared-groups-b"], second.Token!.Groups);

        // The pair shares the list, unless a test running beside this one kept a list in its slot of the table between the reads.
        var shared = ReferenceEquals(first.Token!.Groups, second.Token.Groups) || await SharedTableRetry.AnyAttemptSharesAsync(async attempt =>
        {
            var (again, otherAgain) = await ValidatePairAsync(attempt);
            return ReferenceEquals(again.Token!.Groups, otherAgain.Token!.Groups);
        });
        Assert.True(shared, "Two tokens with the same group text never shared its list.");
        Assert.Throws<NotSupportedException>(() => ((IList<string>)second.Token.Groups)[0] = "admins");
        Assert.True(new System.Security.Claims.ClaimsPrincipal(second.Identity!).IsInRole("shared-groups-b"));
    }

    [Fact]
    public async Task The_same_groups_written_another_way_are_read_again_and_read_the_same()
    {
        var compact = await ValidateAsync(("cognito:groups", "[\"shared-groups-c\",\"shared-groups-d\"]"));
        var spaced = await ValidateAsync(("cognito:groups", "[ \"shared-groups-c\", \"shared-groups-\\u0064\" ]"));

        Assert.NotSame(compact.Token!.Groups, spaced.Token!.Groups);
        Assert.Equal(compact.Token.Groups, spaced.Token.Groups);
    }

    [Theory]
    [InlineData("[\"shared-groups-e\",1]", TokenFailure.InvalidClaim)]
    [InlineData("[\"shared-groups-e\",{\"a\":1,\"a\":2}]", TokenFailure.Malformed)]
    [InlineData("[\"shared-groups-e\",\"\\uD800\"]", TokenFailure.Malformed)]
    public async Task A_faulty_group_list_is_refused_every_time(string groups, TokenFailure failure)
    {
        Assert.Equal(failure, (await ValidateAsync(("cognito:groups", groups))).Failure);
        Assert.Equal(failure, (await ValidateAsync(("cognito:groups", groups))).Failure);
    }

    [Fact]
    public async Task A_known_group_list_does_not_excuse_the_rest_of_the_claims()
    {
        const string Groups = "[\"shared-groups-f\"]";
        Assert.True((await ValidateAsync(("cognito:groups", Groups))).IsValid);

        // The same group text, beside a claim that is wrong after it and one that is wrong before it.
        Assert.Equal(TokenFailure.Malformed, (await ValidateAsync(("cognito:groups", Groups), ("custom:x", "{\"a\":1,\"a\":2}"))).Failure);
        Assert.Equal(TokenFailure.InvalidClaim, (await ValidateAsync(("sub", "1"), ("cognito:groups", Groups))).Failure);
        Assert.True((await ValidateAsync(("cognito:groups", Groups))).IsValid);
    }

    private async Task<(UserPoolValidationResult First, UserPoolValidationResult Second)> ValidatePairAsync(int attempt)
    {
        var groups = attempt == 0 ? "[\"shared-groups-a\",\"shared-groups-b\"]" : $"[\"shared-groups-a\",\"shared-groups-b-{attempt}\"]";
        var first = await ValidateAsync(("cognito:groups", groups), ("jti", "\"one\""));
        var second = await ValidateAsync(("cognito:groups", groups), ("jti", "\"two\""));
        Assert.True(first.IsValid && second.IsValid, first.FailureMessage ?? second.FailureMessage);
        return (first, second);
    }

    private Task<UserPoolValidationResult> ValidateAsync(params (string Name, string? Json)[] overrides) =>
        _t.ValidateAsync(RawTokens.Signed(_t, RawTokens.Header(_t), RawTokens.AccessPayload(_t, overrides)));
}
