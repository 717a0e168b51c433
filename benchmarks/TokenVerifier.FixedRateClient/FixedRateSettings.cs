using System.Globalization;

namespace TokenVerifier.FixedRateClient;

/// <summary>
/// The command line: <c>--url http://127.0.0.1:PORT/PATH --tokens FILE --rate N [--duration S] [--warmup S] [--connections N] [--series FILE]</c>;
/// <c>--series</c> writes each measured request's due time (Stopwatch ticks), latency from due and from sending (ns).
/// </summary>
internal sealed record FixedRateSettings(Uri Url, string TokensFile, double Rate, TimeSpan Duration, TimeSpan Warmup, int Connections, string? SeriesFile)
{
    public static FixedRateSettings Parse(string[] args)
    {
        string? Value(string name)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        }

        double Number(string name, double fallback) =>
            Value(name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;

        var url = new Uri(Value("--url") ?? throw new ArgumentException("--url is required."), UriKind.Absolute);
        if (url.Scheme != Uri.UriSchemeHttp || !url.IsLoopback)
        {
            throw new ArgumentException("--url must be plain http on loopback.");
        }

        var tokens = Value("--tokens") ?? throw new ArgumentException("--tokens FILE is required.");
        var rate = Number("--rate", 0);
        if (rate <= 0)
        {
            throw new ArgumentException("--rate (requests per second) must be positive.");
        }

        var connections = (int)Number("--connections", 32);
        return new FixedRateSettings(url, tokens, rate, TimeSpan.FromSeconds(Number("--duration", 20)), TimeSpan.FromSeconds(Number("--warmup", 2)), Math.Max(1, connections), Value("--series"));
    }
}
