using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TokenVerifier.AspNetCore.Authorization;

namespace TokenVerifier.AspNetCore.Tests.Authorization;

public sealed class ArgumentValidationTests
{
    public static TheoryData<string[], string> BadScopes => new()
    {
        { [], "At least one scope is required" },
        { [null!], "The scope at index 0 is null, empty or whitespace" },
        { ["orders/read", ""], "The scope at index 1 is null, empty or whitespace" },
        { ["orders/read", "  "], "The scope at index 1 is null, empty or whitespace" },
        { ["orders/read orders/write"], "The scope at index 0 'orders/read orders/write' contains a character not allowed in a scope" },
        { ["say\"hi\""], "The scope at index 0 'say\"hi\"' contains a character not allowed in a scope" },
        { ["caf\u00e9"], "contains a character not allowed in a scope" },
    };

    public static TheoryData<string[], string> BadGroups => new()
    {
        { [], "At least one group is required" },
        { [null!], "The group at index 0 is null, empty or whitespace" },
        { ["admins", ""], "The group at index 1 is null, empty or whitespace" },
        { ["admins", "\t"], "The group at index 1 is null, empty or whitespace" },
    };

    [Theory]
    [MemberData(nameof(BadScopes))]
    public void PolicyBuilderRequireScopeRejects(string[] scopes, string message)
    {
        var exception = Assert.Throws<ArgumentException>(() => new AuthorizationPolicyBuilder().RequireScope(scopes));

        Assert.Equal("scopes", exception.ParamName);
        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BadGroups))]
    public void PolicyBuilderRequireGroupRejects(string[] groups, string message)
    {
        var exception = Assert.Throws<ArgumentException>(() => new AuthorizationPolicyBuilder().RequireGroup(groups));

        Assert.Equal("groups", exception.ParamName);
        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BadScopes))]
    public void EndpointRequireScopeRejects(string[] scopes, string message)
    {
        var exception = Assert.Throws<ArgumentException>(() => new RecordingConventionBuilder().RequireScope(scopes));

        Assert.Equal("scopes", exception.ParamName);
        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BadGroups))]
    public void EndpointRequireGroupRejects(string[] groups, string message)
    {
        var exception = Assert.Throws<ArgumentException>(() => new RecordingConventionBuilder().RequireGroup(groups));

        Assert.Equal("groups", exception.ParamName);
        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BadScopes))]
    public void ScopeAttributeRejects(string[] scopes, string message)
    {
        var exception = Assert.Throws<ArgumentException>(() => new RequireScopeAttribute(scopes));

        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BadGroups))]
    public void GroupAttributeRejects(string[] groups, string message)
    {
        var exception = Assert.Throws<ArgumentException>(() => new RequireGroupAttribute(groups));

        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NullListsAreRejected()
    {
        Assert.Equal("scopes", Assert.Throws<ArgumentNullException>(() => new AuthorizationPolicyBuilder().RequireScope(null!)).ParamName);
        Assert.Equal("groups", Assert.Throws<ArgumentNullException>(() => new AuthorizationPolicyBuilder().RequireGroup(null!)).ParamName);
        Assert.Equal("scopes", Assert.Throws<ArgumentNullException>(() => new RecordingConventionBuilder().RequireScope(null!)).ParamName);
        Assert.Equal("groups", Assert.Throws<ArgumentNullException>(() => new RecordingConventionBuilder().RequireGroup(null!)).ParamName);
        Assert.Equal("allowedScopes", Assert.Throws<ArgumentNullException>(() => new ScopeRequirement(null!)).ParamName);
        Assert.Equal("allowedGroups", Assert.Throws<ArgumentNullException>(() => new GroupRequirement(null!)).ParamName);
    }

    [Fact]
    public void NullReceiversAreRejected()
    {
        Assert.Throws<ArgumentNullException>(() => ((AuthorizationPolicyBuilder)null!).RequireScope("s"));
        Assert.Throws<ArgumentNullException>(() => ((AuthorizationPolicyBuilder)null!).RequireGroup("g"));
        Assert.Throws<ArgumentNullException>(() => ((RecordingConventionBuilder)null!).RequireScope("s"));
        Assert.Throws<ArgumentNullException>(() => ((RecordingConventionBuilder)null!).RequireGroup("g"));
        Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddUserPoolPolicies((IConfiguration)null!));
        Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddUserPoolPolicies((Action<UserPoolPolicyOptions>)null!));
    }

    [Fact]
    public void DuplicatesAreDroppedInOrder()
    {
        Assert.Equal(["b", "a"], new ScopeRequirement(["b", "a", "b"]).AllowedScopes);
        Assert.Equal(["b", "a", "A"], new GroupRequirement(["b", "a", "A", "a"]).AllowedGroups);
        Assert.Equal(["x", "y"], new RequireScopeAttribute("x", "y", "x").Scopes);
        Assert.Equal(["g"], new RequireGroupAttribute("g", "g").Groups);
    }

    [Fact]
    public void EndpointConventionIsNotAddedWhenArgumentsAreBad()
    {
        var builder = new RecordingConventionBuilder();

        Assert.Throws<ArgumentException>(() => builder.RequireScope());

        Assert.Empty(builder.Conventions);
    }

    private sealed class RecordingConventionBuilder : IEndpointConventionBuilder
    {
        public List<Action<EndpointBuilder>> Conventions { get; } = [];

        public void Add(Action<EndpointBuilder> convention) => Conventions.Add(convention);
    }
}
