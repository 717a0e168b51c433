using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using TokenVerifier.Validation;

namespace TokenVerifier.Benchmarks;

/// <summary>
/// What each step of a validation costs on its own, as a share of the RSA floor of the same token: the steps before the
/// signature, in order, then the claims, then the whole cold validation. Each step runs in blocks alternating with the
/// floor, as <see cref="PairedRatios"/> does, so the shares hold on a shared machine. Where the paired ratio sits above
/// 1 + the sum of the steps, the rest is the checks, the result and what the steps cost one another in cache.
/// </summary>
internal static class PipelineStages
{
    private const int Rounds = 41;
    private const int OperationsPerBlock = 2000;

    public static void Run()
    {
        var benchmarks = new ValidationBenchmarks();
        benchmarks.SetupDistinctTokens();
        benchmarks.SetupForgedTokens();
        try
        {
            Console.WriteLine($"Steps of a validation, each in {Rounds} rounds of {OperationsPerBlock} operations alternating with its RSA floor.");
            Console.WriteLine();
            Console.WriteLine("| token | step | median (us) | share of the floor |");
            Console.WriteLine("|---|---|---:|---:|");
            Report("1 KB, cold", benchmarks.Token, benchmarks.RsaVerifyData, readsClaims: true, whole: () => benchmarks.OursCold().GetAwaiter().GetResult());
            Report("16 KiB, bad signature", benchmarks.LargeToken, benchmarks.VerifyLarge, readsClaims: false, whole: () => benchmarks.ForgedBadSignatureLarge() == TokenFailure.InvalidSignature);
        }
        finally
        {
            benchmarks.Cleanup();
        }
    }

    /// <summary>The steps of validating <paramref name="token"/>, each alone over the token's own buffers, in order.</summary>
    internal static (string Step, Func<bool> Run)[] Steps(string token)
    {
        var firstDot = token.IndexOf('.', StringComparison.Ordinal);
        var lastDot = token.LastIndexOf('.');
        var signingInput = new byte[lastDot];
        var payload = new byte[Base64Url.GetMaxDecodedLength(lastDot - firstDot - 1)];
        var signature = new byte[1024];
        Check(Ascii.FromUtf16(token.AsSpan(0, lastDot), signingInput, out _) == OperationStatus.Done, "narrowing");
        var payloadLength = Base64Url.DecodeFromUtf8(signingInput.AsSpan(firstDot + 1), payload);
        var scanned = new ParsedJwt();
        var members = new int[JwtReader.MaxScannedMembers * IssuerScan.NumbersPerMember];
        Check(IssuerScan.TryRead(payload.AsSpan(0, payloadLength), scanned, members), "issuer scan");
        var recorded = members.AsMemory(0, scanned.ScannedMembers * IssuerScan.NumbersPerMember);
        var header = new ParsedJwt();

        return
        [
            ("dots, header and signature characters", () => CompactJws.TryFindSegments(token, 16 * 1024, out _, out _)),
            ("signing input narrowed to ASCII", () => Ascii.FromUtf16(token.AsSpan(0, lastDot), signingInput, out _) == OperationStatus.Done),
            ("payload decoded (strict base64url)", () => Base64Url.DecodeFromUtf8(signingInput.AsSpan(firstDot + 1), payload, out _, out _) == OperationStatus.Done),
            ("header (remembered from the pool's earlier tokens)", () => KnownHeaders.TryRead(token.AsSpan(0, firstDot), header)),
            ("issuer scan (UTF-8 and JsonSyntax, members recorded)", () => IssuerScan.TryRead(payload.AsSpan(0, payloadLength), scanned, members)),
            ("signature decoded", () => JwtReader.TryDecodeSignature(token.AsSpan(lastDot + 1), signature, out _)),
            ("claims read (from the scan's record, after the signature)", () => ReadClaims(payload.AsSpan(0, payloadLength), recorded.Span, firstDot + 1, lastDot)),
        ];
    }

    // As the validator reads them: into the thread's parsed token, cleared when taken and given back after (a new one
    // each time also measured its allocation, which the validator no longer pays).
    private static bool ReadClaims(ReadOnlySpan<byte> payload, ReadOnlySpan<int> members, int payloadStart, int signedLength)
    {
        var jwt = ParsedJwt.Rent(payloadStart, signedLength);
        var read = JwtReader.TryReadClaims(payload, members, jwt);
        ParsedJwt.Return(jwt);
        return read;
    }

    private static void Report(string label, string token, Func<bool> floor, bool readsClaims, Func<bool> whole)
    {
        (string Step, Func<bool> Run)[] steps = [.. Steps(token), ("the whole validation", whole)];

        // A token refused for its signature never has its claims read.
        if (!readsClaims)
        {
            steps = [.. steps.Where(s => !s.Step.StartsWith("claims", StringComparison.Ordinal))];
        }

        // The steps run back to back and then the floor itself, with nothing of the validator between them: beside the
        // floor alone, what the steps cost together, including what they cost the verification in cache.
        var parts = steps[..^1].Select(s => s.Run).ToArray();
        steps = [.. steps[..^1], ("the steps, then RSA.VerifyData (share above the floor's 100 %)", () => parts.All(p => p()) && floor()), steps[^1]];

        var sum = 0.0;
        foreach (var (step, run) in steps)
        {
            var (time, share) = Paired(floor, run);
            if (step.StartsWith("the steps, then", StringComparison.Ordinal))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {label} | the steps above, summed | | {sum:P1} |"));
                share -= 1;
            }
            else if (step != "the whole validation")
            {
                sum += share;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {label} | {step} | {time:F3} | {share:P1} |"));
        }
    }

    private static (double Time, double Share) Paired(Func<bool> floor, Func<bool> run)
    {
        PairedRatios.WarmUp(floor, OperationsPerBlock / 10, run, OperationsPerBlock);

        var times = new double[Rounds];
        var shares = new double[Rounds];
        for (var r = 0; r < Rounds; r++)
        {
            // The floor in shorter blocks: it is some hundred times slower than most steps.
            var floorTime = r % 2 == 0 ? PairedRatios.Measure(floor, OperationsPerBlock / 10) : 0;
            times[r] = PairedRatios.Measure(run, OperationsPerBlock);
            floorTime = r % 2 == 0 ? floorTime : PairedRatios.Measure(floor, OperationsPerBlock / 10);
            shares[r] = times[r] / floorTime;
        }

        Array.Sort(times);
        Array.Sort(shares);
        return (times[Rounds / 2], shares[Rounds / 2]);
    }

    private static void Check(bool condition, string step)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"The step '{step}' fails on the benchmark token.");
        }
    }
}
