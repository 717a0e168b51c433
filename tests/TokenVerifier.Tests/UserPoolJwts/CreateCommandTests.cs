using TokenVerifier.Validation;
using System.Text.Json;

namespace TokenVerifier.Tests.UserPoolJwts;

public sealed class CreateCommandTests(InitializedToolSandbox fixture) : IClassFixture<InitializedToolSandbox>
{
    private readonly ToolSandbox _sandbox = fixture.Sandbox;

    [Fact]
    public async Task An_access_token_carries_the_user_groups_and_scopes_and_verifies_against_the_configured_key_set()
    {
        string output = _sandbox.Succeed("create", "--user", "carol", "--group", "admins", "--group", "ops", "--scope", "orders/read", "--scope", "orders/write");

        // Standard output is the token and its newline, nothing else: $(user-pool-jwts create) is the token.
        string token = output.TrimEnd('\n');
        Assert.DoesNotContain('\n', token);
        var result = await _sandbox.Validator().ValidateAsync(token);
        Assert.True(result.IsValid, result.FailureMessage);
        Assert.Equal("access", result.Token!.TokenUse);
        Assert.Equal("carol", result.Token.Username);
        Assert.Equal(["admins", "ops"], result.Token.Groups);
        Assert.Equal(["orders/read", "orders/write"], result.Token.Scopes);
        Assert.Equal(_sandbox.Secrets()["UserPool:ClientIds:0"], result.Token.ClientId);
        Assert.Equal(TimeSpan.FromHours(1), result.Token.ExpiresAt - result.Token.IssuedAt);
    }

    [Fact]
    public async Task An_ID_token_is_refused_where_only_access_tokens_are_accepted_and_verifies_where_ID_tokens_are()
    {
        string token = _sandbox.Succeed("create", "--token-use", "id", "--user", "dave").Trim();

        Assert.Equal(TokenFailure.InvalidTokenUse, (await _sandbox.Validator("access").ValidateAsync(token)).Failure);
        var result = await _sandbox.Validator("id").ValidateAsync(token);
        Assert.True(result.IsValid, result.FailureMessage);
        Assert.Equal("dave", ToolSandbox.Payload(token).GetProperty("cognito:username").GetString());
        Assert.Equal(_sandbox.Secrets()["UserPool:ClientIds:0"], ToolSandbox.Payload(token).GetProperty("aud").GetString());
    }

    [Fact]
    public async Task A_token_for_another_client_is_refused_by_the_app()
    {
        string token = _sandbox.Succeed("create", "--client", "someotherclientid00000000").Trim();

        Assert.Equal("someotherclientid00000000", ToolSandbox.Payload(token).GetProperty("client_id").GetString());
        Assert.Equal(TokenFailure.InvalidClient, (await _sandbox.Validator().ValidateAsync(token)).Failure);
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("8h", 28800)]
    [InlineData("7d", 604800)]
    [InlineData("01:30:00", 5400)]
    [InlineData("2.00:00:00", 172800)]
    [InlineData("2026-11-03", 54000)]
    [InlineData("2026-11-02T10:00:00Z", 3600)]
    [InlineData("2026-11-02T12:00:00+02:00", 3600)]
    public void Expires_takes_a_duration_or_a_date(string expires, long seconds)
    {
        var payload = ToolSandbox.Payload(_sandbox.Succeed("create", "--expires", expires).Trim());

        Assert.Equal(_sandbox.Time.GetUtcNow().ToUnixTimeSeconds(), payload.GetProperty("iat").GetInt64());
        Assert.Equal(seconds, payload.GetProperty("exp").GetInt64() - payload.GetProperty("iat").GetInt64());
    }

    [Fact]
    public void Claims_are_added_as_strings_a_repeated_name_becomes_an_array_and_a_default_claim_is_replaced()
    {
        var payload = ToolSandbox.Payload(_sandbox.Succeed(
            "create", "--claim", "custom:tenant=acme", "--claim", "amr=pwd", "--claim", "amr=mfa", "--claim", "origin_jti=fixed", "--claim", "note=a=b").Trim());

        Assert.Equal("acme", payload.GetProperty("custom:tenant").GetString());
        Assert.Equal(["pwd", "mfa"], payload.GetProperty("amr").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("fixed", payload.GetProperty("origin_jti").GetString());
        Assert.Equal("a=b", payload.GetProperty("note").GetString());
        Assert.Equal(JsonValueKind.String, payload.GetProperty("custom:tenant").ValueKind);
    }

    [Fact]
    public void Key_prints_the_public_key_set_the_app_trusts()
    {
        string output = _sandbox.Succeed("key");

        Assert.Equal(_sandbox.Secrets()["UserPool:Jwks"], output.Trim());
    }

    [Fact]
    public void Print_shows_the_pool_and_where_its_key_lives_but_not_the_private_key()
    {
        string output = _sandbox.Succeed("print");
        var secrets = _sandbox.Secrets();

        Assert.Contains(secrets["UserPool:UserPoolId"]!, output, StringComparison.Ordinal);
        Assert.Contains(secrets["UserPool:ClientIds:0"]!, output, StringComparison.Ordinal);
        Assert.Contains(secrets["UserPoolJwts:KeyId"]!, output, StringComparison.Ordinal);
        Assert.Contains(_sandbox.SecretsPath(_sandbox.UserSecretsId()), output, StringComparison.Ordinal);
        Assert.Contains("yes, UserPool:Jwks holds the key", output, StringComparison.Ordinal);
        Assert.DoesNotContain(secrets["UserPoolJwts:PrivateKey"]![..40], output, StringComparison.Ordinal);
    }
}
