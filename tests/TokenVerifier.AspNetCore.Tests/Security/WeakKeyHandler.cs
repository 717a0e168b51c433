using System.Text.Json.Nodes;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Security;

/// <summary>Serves the pool's key set with <see cref="ChallengeTokens.WeakKey"/> added under <see cref="ChallengeTokens.WeakKeyId"/>.</summary>
internal sealed class WeakKeyHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var keySet = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!.AsObject();
        var weak = ChallengeTokens.WeakKey.ExportParameters(false);
        keySet["keys"]!.AsArray().Add(new JsonObject
        {
            ["kty"] = "RSA",
            ["kid"] = ChallengeTokens.WeakKeyId,
            ["n"] = LocalUserPool.Base64UrlEncode(weak.Modulus),
            ["e"] = LocalUserPool.Base64UrlEncode(weak.Exponent),
        });
        response.Content = new StringContent(keySet.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        return response;
    }
}
