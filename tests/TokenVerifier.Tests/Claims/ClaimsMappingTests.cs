using TokenVerifier.Validation;
using System.Security.Claims;
using TokenVerifier.Claims;
using TokenVerifier.Tests.Validation;

namespace TokenVerifier.Tests.Claims;

/// <summary>Claims of tokens shaped exactly like Cognito's (member order, types and values as AWS documents them).</summary>
public sealed class ClaimsMappingTests : IDisposable
{
    private readonly TestPool _t = new(o => o.TokenUse = ["access", "id"]);

    public void Dispose() => _t.Dispose();

    private string AccessToken() =>
        _t.Pool.SignRaw(
            $"{{\"kid\":\"{_t.Pool.CurrentKeyId}\",\"alg\":\"RS256\"}}",
            $$"""
            {"sub":"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee","cognito:groups":["admin","sales"],"iss":"{{_t.Pool.Issuer}}","version":2,"client_id":"{{_t.Pool.DefaultClientId}}","origin_jti":"aaaaaaaa-bbbb-cccc-dddd-000000000001","event_id":"aaaaaaaa-bbbb-cccc-dddd-000000000002","token_use":"access","scope":"aws.cognito.signin.user.admin phone openid profile email orders/read","auth_time":1795521600,"exp":1795525200,"iat":1795521600,"jti":"aaaaaaaa-bbbb-cccc-dddd-000000000003","username":"my-test-user"}
            """);

    private string IdToken() =>
        _t.Pool.SignRaw(
            $"{{\"kid\":\"{_t.Pool.CurrentKeyId}\",\"alg\":\"RS256\"}}",
            $$"""
            {"sub":"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee","cognito:groups":["admin"],"email_verified":true,"iss":"{{_t.Pool.Issuer}}","cognito:username":"my-test-user","origin_jti":"aaaaaaaa-bbbb-cccc-dddd-000000000001","aud":"{{_t.Pool.DefaultClientId}}","event_id":"aaaaaaaa-bbbb-cccc-dddd-000000000002","token_use":"id","auth_time":1795521600,"custom:tenant":"acme","address":{"formatted":"1 Main St"},"exp":1795525200,"iat":1795521600,"jti":"aaaaaaaa-bbbb-cccc-dddd-000000000004","email":"my-test-user@example.com"}
            """);

    private async Task<ClaimsIdentity> IdentityOf(string token)
    {
        _t.Time.SetUtcNow(DateTimeOffset.FromUnixTimeSeconds(1795521700));
        var result = await _t.ValidateAsync(token);
        Assert.True(result.IsValid, result.FailureMessage);
        return result.Identity!;
    }

    [Fact]
    public async Task Access_token_name_roles_and_scopes()
    {
        var identity = await IdentityOf(AccessToken());
        var principal = new ClaimsPrincipal(identity);

        Assert.Equal("UserPool", identity.AuthenticationType);
        Assert.True(identity.IsAuthenticated);
        Assert.Equal("my-test-user", identity.Name);
        Assert.True(principal.IsInRole("admin"));
        Assert.True(principal.IsInRole("sales"));
        Assert.False(principal.IsInRole("Admin"));
        Assert.Equal(
            ["aws.cognito.signin.user.admin", "phone", "openid", "profile", "email", "orders/read"],
            identity.FindAll(UserPoolClaimTypes.Scope).Select(c => c.Value));
    }

    [Fact]
    public async Task Access_token_claims_keep_their_names_types_and_issuer()
    {
        var identity = await IdentityOf(AccessToken());
        string Value(string type) => Assert.Single(identity.FindAll(type)).Value;

        Assert.Equal("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", Value("sub"));
        Assert.Equal(_t.Pool.DefaultClientId, Value("client_id"));
        Assert.Equal("access", Value("token_use"));
        Assert.Equal("aaaaaaaa-bbbb-cccc-dddd-000000000001", Value("origin_jti"));
        Assert.Equal("aaaaaaaa-bbbb-cccc-dddd-000000000003", Value("jti"));
        Assert.Equal("1795525200", Value("exp"));
        Assert.Equal(ClaimValueTypes.Integer64, identity.FindFirst("exp")!.ValueType);
        Assert.Equal("2", Value("version"));
        Assert.Equal(["admin", "sales"], identity.FindAll("cognito:groups").Select(c => c.Value));
        // The token's claims carry its issuer; the one claim TokenVerifier adds (the pool) carries TokenVerifier's own.
        Assert.All(identity.Claims.Where(c => c.Type != UserPoolClaimTypes.UserPool), c => Assert.Equal(_t.Pool.Issuer, c.Issuer));
        Assert.Equal(UserPoolClaimTypes.TokenVerifierIssuer, Assert.Single(identity.FindAll(UserPoolClaimTypes.UserPool)).Issuer);
        Assert.All(identity.Claims, c => Assert.Same(identity, c.Subject));

        // No inbound renaming: nothing under the long WS-* claim URIs.
        Assert.DoesNotContain(identity.Claims, c => c.Type.StartsWith("http", StringComparison.Ordinal));
        Assert.Equal(21, identity.Claims.Count());
    }

    [Fact]
    public async Task Id_token_name_and_custom_attributes()
    {
        var identity = await IdentityOf(IdToken());
        Assert.Equal("my-test-user", identity.Name);
        Assert.Equal(UserPoolClaimTypes.CognitoUsername, identity.NameClaimType);
        Assert.True(new ClaimsPrincipal(identity).IsInRole("admin"));
        Assert.Equal("acme", identity.FindFirst("custom:tenant")!.Value);
        Assert.Equal("true", identity.FindFirst("email_verified")!.Value);
        Assert.Equal(ClaimValueTypes.Boolean, identity.FindFirst("email_verified")!.ValueType);
        Assert.Equal("{\"formatted\":\"1 Main St\"}", identity.FindFirst("address")!.Value);
        Assert.Equal("JSON", identity.FindFirst("address")!.ValueType);
        Assert.Empty(identity.FindAll(UserPoolClaimTypes.Scope));
    }

    [Fact]
    public async Task The_validated_token_exposes_what_was_checked()
    {
        _t.Time.SetUtcNow(DateTimeOffset.FromUnixTimeSeconds(1795521700));
        var token = (await _t.ValidateAsync(AccessToken())).Token!;
        Assert.Equal("access", token.TokenUse);
        Assert.Equal(_t.Pool.Issuer, token.Issuer);
        Assert.Equal(_t.Pool.CurrentKeyId, token.KeyId);
        Assert.Equal("my-test-user", token.Username);
        Assert.Equal(_t.Pool.DefaultClientId, token.ClientId);
        Assert.Equal("aaaaaaaa-bbbb-cccc-dddd-000000000003", token.TokenId);
        Assert.Equal("aaaaaaaa-bbbb-cccc-dddd-000000000001", token.OriginTokenId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795525200), token.ExpiresAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795521600), token.IssuedAt);
        Assert.Equal(["admin", "sales"], token.Groups);
        Assert.Contains("orders/read", token.Scopes);
    }

    [Fact]
    public async Task Each_validation_builds_new_claim_objects()
    {
        var token = AccessToken();
        var first = await IdentityOf(token);
        var second = await IdentityOf(token);
        Assert.NotSame(first, second);
        Assert.NotSame(first.FindFirst("sub"), second.FindFirst("sub"));
        first.AddClaim(new Claim("cognito:groups", "injected"));
        Assert.DoesNotContain(second.Claims, c => c.Value == "injected");
    }

    [Fact]
    public async Task A_fractional_exp_is_honoured()
    {
        var payload = RawTokens.AccessPayload(_t, ("exp", (_t.Time.GetUtcNow().ToUnixTimeSeconds() + 0.5).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var token = RawTokens.Signed(_t, RawTokens.Header(_t), payload);
        Assert.True((await _t.ValidateAsync(token)).IsValid);
        _t.Time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(TokenFailure.Expired, await _t.FailureOfAsync(token));
    }
}
