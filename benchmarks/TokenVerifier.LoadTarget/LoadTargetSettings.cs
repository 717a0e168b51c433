namespace TokenVerifier.LoadTarget;

/// <summary>
/// The command line: <c>--mode none|static|userpool|userpool-config|jwtbearer --tokens FILE --ready FILE [--token-count N] [--urls URL]
/// [--jwks-http FILE] [--forged FILE] [--refused-token-delay TIMESPAN]</c>. <c>--jwks-http</c> serves the pool's key set from a loopback port of its own, which
/// counts fetches and answers <c>/stats</c> (userpool fetches its keys there; the other modes only use <c>/stats</c>), and
/// writes that port's address to FILE; <c>--forged</c> writes forged tokens to FILE (see <see cref="ForgedTokens"/>);
/// <c>--refused-token-delay</c> sets the userpool scheme's <c>RefusedTokenDelay</c> (off by default, as in the library).
/// </summary>
internal sealed record LoadTargetSettings(LoadTargetMode Mode, string TokensFile, string ReadyFile, int TokenCount, string? JwksAddressFile = null, string? ForgedFile = null, TimeSpan RefusedTokenDelay = default)
{
    public static LoadTargetSettings Parse(string[] args)
    {
        string? Value(string name)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        }

        var mode = Value("--mode") switch
        {
            "none" => LoadTargetMode.None,
            "static" => LoadTargetMode.StaticPrincipal,
            "userpool" => LoadTargetMode.UserPool,
            "userpool-config" => LoadTargetMode.UserPoolFromConfiguration,
            "jwtbearer" => LoadTargetMode.JwtBearer,
            var other => throw new ArgumentException($"--mode must be none, static, userpool, userpool-config or jwtbearer, not '{other}'."),
        };
        var tokens = Value("--tokens") ?? throw new ArgumentException("--tokens FILE is required.");
        var ready = Value("--ready") ?? throw new ArgumentException("--ready FILE is required.");
        var count = int.TryParse(Value("--token-count"), out var n) && n > 0 ? n : 1000;
        var delay = Value("--refused-token-delay") is { } text
            ? TimeSpan.Parse(text, System.Globalization.CultureInfo.InvariantCulture)
            : TimeSpan.Zero;
        return new LoadTargetSettings(mode, tokens, ready, count, Value("--jwks-http"), Value("--forged"), delay);
    }
}
