using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using TokenVerifier.Keys;
using TokenVerifier.Tests.Network;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Security;

/// <summary>
/// The public test vectors vendored in <c>tests/TokenVerifier.Tests/TestData</c> (provenance in its NOTICE, checksums in its
/// SHA256SUMS), copied beside the test binaries by the project file.
/// </summary>
internal static class TestVectors
{
    public static string Root { get; } = Locate();

    public static JsonDocument Load(string relativePath) => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Root, relativePath)));

    public static string Sha256(string relativePath) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(Root, relativePath))));

    /// <summary>
    /// A validator whose one pool serves exactly <paramref name="keys"/> (JWK objects) plus an unrelated valid key, so that
    /// a vector's key dropped by vetting shows as an unknown kid rather than as an unusable key set.
    /// </summary>
    public static UserPoolTokenValidator ValidatorServing(IEnumerable<JsonNode> keys, RSA decoy)
    {
        var set = new JsonArray();
        foreach (var key in keys)
        {
            set.Add(key.DeepClone());
        }

        set.Add(JsonNode.Parse(Forge.Jwk(decoy, "decoy-unrelated-key")));
        var json = new JsonObject { ["keys"] = set }.ToJsonString();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        var client = new HttpClient(new StaticJwksHandler(json));
        var options = new UserPoolValidationOptions { UserPoolId = "us-east-1_Vectors1", ClientIds = ["vectors"] };
        return new UserPoolTokenValidator(options, new SigningKeyCacheRegistry(() => client, time), time);
    }

    private static string Locate()
    {
        var root = Path.Combine(AppContext.BaseDirectory, "TestData");
        return Directory.Exists(root)
            ? root
            : throw new DirectoryNotFoundException($"The vendored test vectors are expected at {root}; the test project copies TestData/ there.");
    }
}
