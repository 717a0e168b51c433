using System.Diagnostics;
using System.Text;
using CsCheck;
using TokenVerifier.Testing;
using TokenVerifier.Tests.Validation;
using TokenVerifier.Validation;
using Xunit.Abstractions;

namespace TokenVerifier.Tests.Security;

/// <summary>
/// Property: a mutation of a valid token (bit flips, character edits, truncation, segment swaps and splices, JSON edits
/// with the old signature or re-signed with a key outside the pool) is never accepted unless it is byte-identical to a
/// valid token, and no exception escapes the validator. At least 100,000 inputs per run.
/// </summary>
public sealed class MutationFuzzTests(ITestOutputHelper output)
{
    private const int Iterations = 100_000;
    private const int Kinds = 13;
    private const string Base64UrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private const string Interesting = ".=+/ \t\n\r\0\"\\{}[]:,%é\u2028\uFEFF\uD800A-_";

    private static readonly int[][] Arrangements =
    [
        [1, 0, 2], [0, 2, 1], [2, 1, 0], [0, 1], [0, 1, 2, 2], [0, 0, 2], [0, 1, 1], [1, 2], [0, 1, 2, 0, 1], [0, 2], [2], [],
    ];

    private static readonly (string Claim, string Json)[] Edits =
    [
        ("username", "\"mallory\""), ("cognito:groups", "[\"admins\"]"), ("exp", "99999999999"), ("client_id", "\"otherclient\""),
        ("token_use", "\"id\""), ("scope", "\"admin/all\""), ("sub", "\"00000000-0000-0000-0000-000000000000\""), ("iat", "0"),
    ];

    [Fact]
    public async Task Mutated_tokens_are_never_accepted_unless_identical_to_a_valid_token_and_nothing_throws()
    {
        using var t = new TestPool(o => o.TokenUse = ["access", "id"]);
        using var outsider = new LocalUserPool(t.Pool.UserPoolId, timeProvider: t.Time);
        var originals = ValidTokens(t);
        foreach (var token in originals)
        {
            Assert.True((await t.ValidateAsync(token)).IsValid);
        }

        // Signing costs a millisecond, so the JSON edits are made once and the fuzz budget goes to the validator.
        var tampered = new List<string>();
        var resigned = new List<string>();
        foreach (var token in originals)
        {
            foreach (var (claim, json) in Edits)
            {
                var edited = LocalUserPool.TamperPayload(token, claim, json);
                var parts = edited.Split('.');
                tampered.Add(edited);
                resigned.Add(outsider.SignRaw(Decode(parts[0]), Decode(parts[1])));
            }
        }

        var valid = originals.ToHashSet(StringComparer.Ordinal);
        var tally = new int[Enum.GetValues<TokenFailure>().Length];
        var inputs = 0;
        var clock = Stopwatch.StartNew();

        await Gen.Select(Gen.Int[0, originals.Length - 1], Gen.Int[0, Kinds - 1], Gen.Int[0, 1 << 20], Gen.Int[0, 1 << 10])
            .SampleAsync(
                async (seed, kind, position, argument) =>
                {
                    var token = Mutate(originals, tampered, resigned, originals[seed], kind, position, argument);
                    var result = await t.Validator.ValidateAsync(token);
                    Interlocked.Increment(ref inputs);
                    Interlocked.Increment(ref tally[(int)result.Failure]);
                    if (result.IsValid && !valid.Contains(token))
                    {
                        throw new InvalidOperationException($"A mutated token was accepted: kind {kind}, position {position}, argument {argument}.");
                    }
                },
                iter: Iterations);

        clock.Stop();
        output.WriteLine($"{inputs} mutated inputs in {clock.Elapsed.TotalSeconds:0.0} s; " +
            string.Join(", ", Enum.GetValues<TokenFailure>().Where(f => tally[(int)f] > 0).Select(f => $"{f} {tally[(int)f]}")));

        Assert.InRange(inputs, Iterations, int.MaxValue);

        // The mutations reach every stage: the reader, the header checks, the key lookup and the signature.
        Assert.InRange(tally[(int)TokenFailure.Malformed], Iterations / 10, Iterations);
        Assert.InRange(tally[(int)TokenFailure.InvalidSignature], Iterations / 10, Iterations);
        Assert.InRange(tally[(int)TokenFailure.UnsupportedAlgorithm] + tally[(int)TokenFailure.MissingKeyId] + tally[(int)TokenFailure.KeyNotFound], 100, Iterations);

        // Mutated kids may cost one key set fetch per unknown-kid interval; the clock does not move here.
        Assert.InRange(t.Network.Count, 1, 3);
    }

    private static string[] ValidTokens(TestPool t)
    {
        var day = new LocalTokenOptions { Lifetime = TimeSpan.FromHours(24) };
        var rich = new LocalTokenOptions { Lifetime = TimeSpan.FromHours(24), Username = "zoë", Groups = { "admins", "editors" }, Scopes = { "orders/read", "orders/write" } };
        var tokens = new List<string> { t.Pool.MintAccessToken(day), t.Pool.MintIdToken(day), t.Pool.MintAccessToken(rich), t.Pool.MintIdToken(rich) };
        t.Pool.RotateKey(keepPreviousKey: true);
        tokens.Add(t.Pool.MintAccessToken(day));
        tokens.Add(t.Pool.MintIdToken(rich));
        return [.. tokens];
    }

    private static string Mutate(string[] originals, List<string> tampered, List<string> resigned, string token, int kind, int position, int argument)
    {
        if (token.Length == 0)
        {
            return kind == 4 ? Interesting[argument % Interesting.Length].ToString() : token;
        }

        var at = position % (token.Length + 1);
        var within = Math.Min(at, token.Length - 1);
        switch (kind)
        {
            case 0:
                // Flip one bit of one character (ASCII stays ASCII; higher bits make control characters).
                return token[..within] + (char)(token[within] ^ (1 << (argument % 7))) + token[(within + 1)..];
            case 1:
                return token[..within] + Interesting[argument % Interesting.Length] + token[(within + 1)..];
            case 2:
                return token[..within] + Base64UrlAlphabet[argument % 64] + token[(within + 1)..];
            case 3:
                return token.Remove(within, 1);
            case 4:
                return token.Insert(at, (argument % 2 == 0 ? Interesting : Base64UrlAlphabet)[argument % Interesting.Length].ToString());
            case 5:
                return token[..at];
            case 6:
                var parts = token.Split('.');
                return string.Join('.', Arrangements[argument % Arrangements.Length].Select(i => i < parts.Length ? parts[i] : ""));
            case 7:
                // Splice: one segment from another valid token.
                var mine = token.Split('.');
                var other = originals[argument % originals.Length].Split('.');
                mine[position % 3] = other[position % 3];
                return string.Join('.', mine);
            case 8:
                // Several edits at once.
                var result = token;
                for (var i = 0; i < 3; i++)
                {
                    result = Mutate(originals, tampered, resigned, result, (argument >> (i * 2)) % 6, position * (i + 7), argument + i);
                }

                return result;
            case 9:
                return tampered[argument % tampered.Count];
            case 10:
                return resigned[argument % resigned.Count];
            case 11:
                return token.Insert(within, token[within].ToString());
            default:
                var other2 = (within + 1 + argument) % token.Length;
                var chars = token.ToCharArray();
                (chars[within], chars[other2]) = (chars[other2], chars[within]);
                return new string(chars);
        }
    }

    private static byte[] Decode(string segment) => Convert.FromBase64String(Forge.ToStandard(segment));
}
