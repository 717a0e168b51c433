using System.Buffers.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using TokenVerifier.Testing;

namespace TokenVerifier.Tests.Testing;

/// <summary>The kit's machine-client tokens and trigger-shaped claim values.</summary>
public sealed class LocalUserPoolMachineTokenTests : LocalUserPoolTestBase
{
    private static JsonElement Payload(string token) => JsonDocument.Parse(Base64Url.DecodeFromChars(token.Split('.')[1])).RootElement;

    [Fact]
    public void A_machine_token_has_the_members_of_a_client_credentials_token_in_cognitos_order()
    {
        var options = new LocalMachineTokenOptions();
        options.Scopes.Add("orders/read");
        options.Scopes.Add("orders/write");
        var payload = Payload(Pool.MintMachineToken(options));

        Assert.Equal(
            ["sub", "token_use", "scope", "auth_time", "iss", "exp", "iat", "version", "jti", "client_id"],
            payload.EnumerateObject().Select(p => p.Name));
        Assert.Equal(Pool.DefaultClientId, payload.GetProperty("sub").GetString());
        Assert.Equal(Pool.DefaultClientId, payload.GetProperty("client_id").GetString());
        Assert.Equal("access", payload.GetProperty("token_use").GetString());
        Assert.Equal("orders/read orders/write", payload.GetProperty("scope").GetString());
        Assert.Equal(2, payload.GetProperty("version").GetInt32());
        Assert.Equal(Start.ToUnixTimeSeconds(), payload.GetProperty("iat").GetInt64());
        Assert.Equal(Start.ToUnixTimeSeconds(), payload.GetProperty("auth_time").GetInt64());
        Assert.Equal(Start.AddHours(1).ToUnixTimeSeconds(), payload.GetProperty("exp").GetInt64());
    }

    [Fact]
    public void A_machine_token_takes_its_client_lifetime_and_extra_claims()
    {
        var options = new LocalMachineTokenOptions { ClientId = "otherclient", Lifetime = TimeSpan.FromMinutes(5), Jti = "j-1" };
        options.AdditionalClaims["custom"] = "x";
        options.OmitClaims.Add("auth_time");
        var payload = Payload(Pool.MintMachineToken(options));

        Assert.Equal("otherclient", payload.GetProperty("sub").GetString());
        Assert.Equal("otherclient", payload.GetProperty("client_id").GetString());
        Assert.Equal("j-1", payload.GetProperty("jti").GetString());
        Assert.Equal(Start.AddMinutes(5).ToUnixTimeSeconds(), payload.GetProperty("exp").GetInt64());
        Assert.Equal("x", payload.GetProperty("custom").GetString());
        Assert.False(payload.TryGetProperty("auth_time", out _));
        Assert.False(payload.TryGetProperty("scope", out _));
        Assert.False(payload.TryGetProperty("username", out _));
    }

    [Fact]
    public void Nested_objects_and_mixed_arrays_are_written_as_json()
    {
        var options = new LocalTokenOptions();
        options.AdditionalClaims["tenant"] = new Dictionary<string, object?> { ["id"] = "t-1", ["seats"] = 5, ["tags"] = new[] { "a" }, ["trial"] = null };
        options.AdditionalClaims["mixed"] = new object?[] { 1, "two", true, null, new[] { 3 } };
        var payload = Payload(Pool.MintAccessToken(options));

        Assert.Equal("""{"id":"t-1","seats":5,"tags":["a"],"trial":null}""", payload.GetProperty("tenant").GetRawText());
        Assert.Equal("""[1,"two",true,null,[3]]""", payload.GetProperty("mixed").GetRawText());
    }

    [Fact]
    public void An_unsupported_value_type_is_refused_with_its_claim_name()
    {
        var options = new LocalTokenOptions();
        options.AdditionalClaims["bad"] = new object?[] { new Uri("https://example.test") };
        var error = Assert.Throws<ArgumentException>(() => Pool.MintAccessToken(options));
        Assert.Contains("'bad'", error.Message, StringComparison.Ordinal);
    }
}
