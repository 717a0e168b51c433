using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using TokenVerifier.Keys;
using TokenVerifier.Tests.Network;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Security;

/// <summary>
/// The public test vectors in <c>shared/testdata</c>, which lives beside the repository (CI clones it there): found by
/// walking up from the test binaries to the directory holding TokenVerifier.sln.
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
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TokenVerifier.sln")))
            {
                var root = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "testdata"));
                return Directory.Exists(root)
                    ? root
                    : throw new DirectoryNotFoundException($"The test vectors are expected at {root} (shared/ beside the repository).");
            }
        }

        throw new DirectoryNotFoundException($"No TokenVerifier.sln above {AppContext.BaseDirectory}.");
    }
}
