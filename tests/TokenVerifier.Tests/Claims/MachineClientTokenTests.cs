using System.Security.Claims;
using TokenVerifier.Claims;
using TokenVerifier.Testing;
using TokenVerifier.Tests.Validation;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Claims;

/// <summary>Access tokens of Cognito's client-credentials grant: no user, sub = client_id, resource-server scopes.</summary>
public sealed class MachineClientTokenTests : IDisposable
{
    private readonly TestPool _t = new();

    public void Dispose() => _t.Dispose();

    private static LocalMachineTokenOptions Machine(params string[] scopes)
    {
        var options = new LocalMachineTokenOptions();
        foreach (var scope in scopes)
        {
            options.Scopes.Add(scope);
        }

        return options;
    }

    [Fact]
    public async Task A_machine_token_of_a_configured_client_is_accepted_and_named_by_its_client_id()
    {
        var result = await _t.ValidateAsync(_t.Pool.MintMachineToken(Machine("orders/read", "orders/write")));

        Assert.True(result.IsValid, result.FailureMessage);
        Assert.True(result.Token!.IsMachineClient);
        Assert.Null(result.Token.Username);
        Assert.Equal(_t.Pool.DefaultClientId, result.Token.ClientId);
        Assert.Equal(_t.Pool.DefaultClientId, result.Token.Subject);
        Assert.Equal(["orders/read", "orders/write"], result.Token.Scopes);
        Assert.Empty(result.Token.Groups);

        var identity = result.Identity!;
        Assert.Equal(UserPoolClaimTypes.ClientId, identity.NameClaimType);
        Assert.Equal(_t.Pool.DefaultClientId, identity.Name);
        Assert.True(MachineClients.IsMachineClient(identity));
        Assert.True(MachineClients.IsMachineClient(new ClaimsPrincipal(identity)));
        Assert.Equal("2", identity.FindFirst("version")!.Value);
    }

    [Fact]
    public async Task A_machine_token_of_a_client_that_is_not_configured_is_InvalidClient()
    {
        var token = _t.Pool.MintMachineToken(new LocalMachineTokenOptions { ClientId = "unconfiguredclient0000000001" });
        Assert.Equal(TokenFailure.InvalidClient, await _t.FailureOfAsync(token));
    }

    [Fact]
    public async Task A_machine_token_passes_every_other_check_too()
    {
        var expired = _t.Pool.MintMachineToken(new LocalMachineTokenOptions { IssuedAt = _t.Time.GetUtcNow().AddHours(-2) });
        Assert.Equal(TokenFailure.Expired, await _t.FailureOfAsync(expired));
        Assert.Equal(TokenFailure.InvalidSignature, await _t.FailureOfAsync(LocalUserPool.TamperPayload(_t.Pool.MintMachineToken(), "scope", "\"orders/admin\"")));
    }

    [Fact]
    public async Task A_user_token_is_not_a_machine_token()
    {
        var result = await _t.ValidateAsync(_t.Pool.MintAccessToken());
        Assert.False(result.Token!.IsMachineClient);
        Assert.Equal(UserPoolClaimTypes.Username, result.Identity!.NameClaimType);
        Assert.Equal("alice", result.Identity.Name);
        Assert.False(MachineClients.IsMachineClient(result.Identity));
    }

    [Fact]
    public async Task A_token_with_a_username_is_a_user_even_when_its_sub_is_its_client_id()
    {
        var token = _t.Pool.MintAccessToken(new LocalTokenOptions { Username = "svc-user", Subject = _t.Pool.DefaultClientId });
        var result = await _t.ValidateAsync(token);

        Assert.True(result.IsValid, result.FailureMessage);
        Assert.False(result.Token!.IsMachineClient);
        Assert.Equal("svc-user", result.Identity!.Name);
        Assert.False(MachineClients.IsMachineClient(result.Identity));
    }

    [Fact]
    public async Task A_token_without_username_whose_sub_differs_from_its_client_id_is_not_a_machine_token()
    {
        var options = new LocalMachineTokenOptions();
        options.AdditionalClaims["sub"] = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
        var result = await _t.ValidateAsync(_t.Pool.MintMachineToken(options));

        Assert.True(result.IsValid, result.FailureMessage);
        Assert.False(result.Token!.IsMachineClient);
        Assert.Null(result.Identity!.Name);
    }

    [Fact]
    public async Task An_id_token_is_never_a_machine_token()
    {
        using var t = new TestPool(o => o.TokenUse = ["id"]);
        var options = new LocalTokenOptions { Subject = t.Pool.DefaultClientId };
        options.OmitClaims.Add("cognito:username");
        var result = await t.ValidateAsync(t.Pool.MintIdToken(options));

        Assert.True(result.IsValid, result.FailureMessage);
        Assert.False(result.Token!.IsMachineClient);
        Assert.False(MachineClients.IsMachineClient(result.Identity!));
    }

    [Fact]
    public async Task A_claims_transformation_that_adds_a_username_makes_the_identity_a_user()
    {
        var identity = (await _t.ValidateAsync(_t.Pool.MintMachineToken())).Identity!;
        identity.AddClaim(new Claim(UserPoolClaimTypes.Username, "someone"));
        Assert.False(MachineClients.IsMachineClient(identity));
    }

    [Fact]
    public void An_unauthenticated_identity_is_not_a_machine_client()
    {
        var identity = new ClaimsIdentity(
            [new Claim("token_use", "access"), new Claim("sub", "c1"), new Claim("client_id", "c1")]);
        Assert.False(MachineClients.IsMachineClient(identity));
    }
}
