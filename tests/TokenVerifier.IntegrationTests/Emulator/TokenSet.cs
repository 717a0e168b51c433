using System.Buffers.Text;
using System.Text.Json;

namespace TokenVerifier.IntegrationTests.Emulator;

/// <summary>The tokens of one sign-in, as a client script printed them.</summary>
public sealed record TokenSet(string AccessToken, string IdToken, string RefreshToken)
{
    /// <summary>The claims of <paramref name="token"/>, read without verification: tests compare them with what the API reports.</summary>
    public static JsonElement Claims(string token)
    {
        var payload = token.Split('.')[1];
        using var json = JsonDocument.Parse(Base64Url.DecodeFromChars(payload));
        return json.RootElement.Clone();
    }
}
