using System.Globalization;
using System.Text;
using TokenVerifier.Keys;
using TokenVerifier.Testing;
using TokenVerifier.Validation;

namespace TokenVerifier.Benchmarks;

/// <summary>
/// What the validated-token cache keeps per entry: 10,000 distinct benchmark tokens validated into a cache of that
/// capacity, the heap measured after a full collection before and after. Each token reaches the validator as a new
/// string made from its bytes, as a request's header does, so the string the cache keeps as its key is counted.
/// </summary>
internal static class CacheRetention
{
    private const int Entries = 10_000;

    public static void Run()
    {
        using var pool = new LocalUserPool("us-east-1_Benchmark1");
        using var client = new HttpClient(pool.CreateJwksHandler());
        var registry = new SigningKeyCacheRegistry(() => client);
        var options = new UserPoolValidationOptions { UserPoolId = pool.UserPoolId, ValidatedTokenCacheSize = Entries };
        options.ClientIds.Add(pool.DefaultClientId);
        using var validator = new UserPoolTokenValidator(options, registry);
        validator.KeyCaches[0].RefreshAsync().GetAwaiter().GetResult();

        // Kept as bytes, so the measured heap holds no string of them until the validator is given one.
        var tokens = new byte[Entries][];
        for (var i = 0; i < Entries; i++)
        {
            tokens[i] = Encoding.ASCII.GetBytes(pool.MintAccessToken(BenchmarkTokenOptions.Create($"benchmark-user-{i:D5}")));
        }

        // One validation outside the measurement, so the validator's first-use allocations are not counted.
        Check(validator.ValidateAsync(pool.MintAccessToken(BenchmarkTokenOptions.Create("warm-up"))).AsTask().Result);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        foreach (var token in tokens)
        {
            Check(validator.ValidateAsync(Encoding.ASCII.GetString(token)).AsTask().Result);
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        var statistics = validator.CacheStatistics;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Validated-token cache: {statistics.Count:N0} entries, tokens of {tokens[0].Length:N0} characters"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Retained after a full GC: {after - before:N0} B, {(after - before) / (double)statistics.Count:N0} B per entry (key included)"));
        GC.KeepAlive(tokens);
    }

    private static void Check(UserPoolValidationResult result)
    {
        if (!result.IsValid)
        {
            throw new InvalidOperationException($"A benchmark token did not validate: {result.FailureMessage}");
        }
    }
}
