using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using TokenVerifier.Keys;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Security;

/// <summary>
/// Wycheproof vectors (TestData/wycheproof, see TestData/README.md for the expected outcomes): RSA PKCS#1 v1.5 SHA-256 at
/// the signature step, the JWS vectors through the validator's steps up to the signature, the JWK vectors through key
/// vetting. Valid must be accepted, invalid rejected, and nothing may throw.
/// </summary>
public sealed class WycheproofTests : IDisposable
{
    // The README's known upstream inconsistencies, all outside the RS256 groups: marked valid but PS/ES with a key alg
    // that differs from the header (346, 347, 350, 351), marked invalid but byte-identical to valid tcId 357 (367, 370),
    // marked valid but not base64url (372, 373). A strict RS256-only verifier rejects all eight.
    private static readonly int[] UpstreamInconsistencies = [346, 347, 350, 351, 367, 370, 372, 373];

    private static readonly int[] Rs256Groups = [2, 3, 9, 13, 17, 19];

    private readonly RSA _decoy = RSA.Create(2048);

    public void Dispose() => _decoy.Dispose();

    [Theory]
    [InlineData("wycheproof/rsa_signature_2048_sha256_test.json", "94a917b01ff50fb874cfc05bf29b4af44868d944a6558201cf18380da93fb393")]
    [InlineData("wycheproof/json_web_signature_test.json", "8e687a06fe8359f4ec51480f1a9f73c8faebd6f4c01b818b843b44eee54fd5d9")]
    [InlineData("wycheproof/json_web_key_test.json", "be983255bce26406f97020ec5458b33930a90d5f868e604fcd569c300aba2862")]
    [InlineData("rfc/rfc7515_a2_rs256.json", "5a9668ccdb88543d58b7dc1a89b7b17347831876f942e5137d7a102bc48c809a")]
    [InlineData("rfc/rfc7520_4_1_rsa_v15_signature.json", "5836d16f4fa62fa311b047002e0636eba2789a6f558a26d49acfaeeb26fa470c")]
    public void The_vector_files_are_the_byte_exact_copies(string file, string sha256) =>
        Assert.Equal(sha256, TestVectors.Sha256(file));

    [Fact]
    public void Every_RSA_PKCS1_SHA256_2048_vector_agrees_at_the_signature_step()
    {
        using var doc = TestVectors.Load("wycheproof/rsa_signature_2048_sha256_test.json");
        var tally = new Tally();
        bool? missingNullAccepted = null;
        foreach (var group in doc.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            var key = VettedKey(JsonNode.Parse(group.GetProperty("keyJwk").GetRawText())!);
            foreach (var test in group.GetProperty("tests").EnumerateArray())
            {
                var accepted = key.Verify(Convert.FromHexString(test.GetProperty("msg").GetString()!), Convert.FromHexString(test.GetProperty("sig").GetString()!));
                if (test.GetProperty("result").GetString() == "acceptable")
                {
                    missingNullAccepted = accepted;
                }
                else
                {
                    tally.Add(test, accepted);
                }
            }
        }

        Assert.Empty(tally.Disagreements);
        Assert.Equal((9, 9), (tally.ValidAccepted, tally.Valid));
        Assert.Equal((249, 249), (tally.InvalidRejected, tally.Invalid));

        // tcId 8 (DigestInfo without the NULL parameter) may go either way; strict verification rejects it, as OpenSSL does.
        Assert.False(missingNullAccepted);
    }

    [Fact]
    public async Task Every_JWS_vector_of_the_RS256_groups_agrees()
    {
        using var doc = TestVectors.Load("wycheproof/json_web_signature_test.json");
        var groups = doc.RootElement.GetProperty("testGroups").EnumerateArray().ToArray();
        var tally = new Tally();
        var failures = new Dictionary<int, TokenFailure>();
        foreach (var index in Rs256Groups)
        {
            var validator = TestVectors.ValidatorServing([JsonNode.Parse(groups[index].GetProperty("public").GetRawText())!], _decoy);
            foreach (var test in groups[index].GetProperty("tests").EnumerateArray())
            {
                var failure = await validator.VerifyJwsAsync(Jws(test));
                failures[test.GetProperty("tcId").GetInt32()] = failure;
                tally.Add(test, failure == TokenFailure.None);
            }
        }

        Assert.Empty(tally.Disagreements);
        Assert.Equal((8, 8), (tally.ValidAccepted, tally.Valid));
        Assert.Equal((227, 227), (tally.InvalidRejected, tally.Invalid));

        // Signatures that are mathematically right, refused only because the key is for encryption (use, key_ops).
        Assert.Equal(TokenFailure.InvalidKey, failures[353]);
        Assert.Equal(TokenFailure.InvalidKey, failures[355]);
    }

    [Fact]
    public async Task Every_JWS_vector_of_the_other_groups_is_rejected_as_not_RS256()
    {
        using var doc = TestVectors.Load("wycheproof/json_web_signature_test.json");
        var groups = doc.RootElement.GetProperty("testGroups").EnumerateArray().ToArray();
        var rejected = 0;
        var total = 0;
        var knownExceptions = new List<int>();
        for (var index = 0; index < groups.Length; index++)
        {
            if (Rs256Groups.Contains(index))
            {
                continue;
            }

            var key = groups[index].TryGetProperty("public", out var pub) ? pub : groups[index].GetProperty("private");
            var validator = TestVectors.ValidatorServing([JsonNode.Parse(key.GetRawText())!], _decoy);
            foreach (var test in groups[index].GetProperty("tests").EnumerateArray())
            {
                total++;
                var id = test.GetProperty("tcId").GetInt32();
                var failure = await validator.VerifyJwsAsync(Jws(test));
                rejected += failure == TokenFailure.None ? 0 : 1;
                if (UpstreamInconsistencies.Contains(id))
                {
                    knownExceptions.Add(id);
                }
                else if (test.GetProperty("result").GetString() == "valid")
                {
                    // Valid for HS/ES/PS/RS384/RS512, which this verifier does not accept by design.
                    Assert.True(failure == TokenFailure.UnsupportedAlgorithm, $"tcId {id}: {failure}");
                }
            }
        }

        Assert.Equal(401 - 235, total);
        Assert.Equal(total, rejected);
        Assert.Equal(UpstreamInconsistencies, knownExceptions.Order());
    }

    [Fact]
    public async Task Every_JWK_vector_agrees_and_the_weak_RSA_keys_are_vetted_out()
    {
        using var doc = TestVectors.Load("wycheproof/json_web_key_test.json");
        var failures = new Dictionary<int, TokenFailure>();
        var rejectedInvalid = 0;
        var invalid = 0;
        foreach (var group in doc.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            var set = group.TryGetProperty("public", out var pub) ? pub : group.GetProperty("private");
            var keys = JsonNode.Parse(set.GetRawText())!["keys"]!.AsArray().Select(k => k!);
            var validator = TestVectors.ValidatorServing(keys, _decoy);
            foreach (var test in group.GetProperty("tests").EnumerateArray())
            {
                var failure = await validator.VerifyJwsAsync(Jws(test));
                failures[test.GetProperty("tcId").GetInt32()] = failure;
                if (test.GetProperty("result").GetString() == "invalid")
                {
                    invalid++;
                    rejectedInvalid += failure == TokenFailure.None ? 0 : 1;
                }
            }
        }

        Assert.Equal((21, 21), (rejectedInvalid, invalid));
        Assert.Equal(26, failures.Count);

        // The RSA cases: every signature verifies mathematically; only key vetting can refuse 6 to 9.
        Assert.Equal(TokenFailure.None, failures[5]);
        Assert.All(new[] { 6, 7, 8, 9 }, id => Assert.Equal(TokenFailure.InvalidKey, failures[id]));

        // The other valid cases are HMAC: refused for their algorithm.
        Assert.All(new[] { 2, 13, 14, 15 }, id => Assert.Equal(TokenFailure.UnsupportedAlgorithm, failures[id]));
    }

    [Theory]
    [InlineData(6, "use is not sig")]
    [InlineData(7, "ROCA")]
    [InlineData(8, "modulus shorter than 2048 bits")]
    [InlineData(9, "public exponent")]
    public void The_weak_RSA_keys_of_the_JWK_vectors_are_refused_for_their_weakness(int tcId, string reason)
    {
        using var doc = TestVectors.Load("wycheproof/json_web_key_test.json");
        var group = doc.RootElement.GetProperty("testGroups").EnumerateArray()
            .Single(g => g.GetProperty("tests").EnumerateArray().Any(t => t.GetProperty("tcId").GetInt32() == tcId));
        var rejected = new List<string>();
        var keys = JwksKeyReader.Read(group.GetProperty("public").GetRawText(), rejected);
        Assert.Empty(keys);
        Assert.Contains(reason, Assert.Single(rejected), StringComparison.Ordinal);
    }

    private static string Jws(JsonElement test)
    {
        var jws = test.GetProperty("jws");
        return jws.ValueKind == JsonValueKind.String ? jws.GetString()! : jws.GetRawText();
    }

    private static RsaSigningKey VettedKey(JsonNode jwk)
    {
        jwk["kid"] ??= "vector";
        var rejected = new List<string>();
        var keys = JwksKeyReader.Read(new JsonObject { ["keys"] = new JsonArray(jwk) }.ToJsonString(), rejected);
        Assert.Empty(rejected);
        return Assert.Single(keys).Value;
    }

    private sealed class Tally
    {
        public int Valid { get; private set; }

        public int ValidAccepted { get; private set; }

        public int Invalid { get; private set; }

        public int InvalidRejected { get; private set; }

        public List<string> Disagreements { get; } = [];

        public void Add(JsonElement test, bool accepted)
        {
            var valid = test.GetProperty("result").GetString() == "valid";
            if (valid)
            {
                Valid++;
                ValidAccepted += accepted ? 1 : 0;
            }
            else
            {
                Invalid++;
                InvalidRejected += accepted ? 0 : 1;
            }

            if (valid != accepted)
            {
                Disagreements.Add($"tcId {test.GetProperty("tcId").GetInt32()} ({test.GetProperty("comment").GetString()}): expected {(valid ? "accepted" : "rejected")}");
            }
        }
    }
}
