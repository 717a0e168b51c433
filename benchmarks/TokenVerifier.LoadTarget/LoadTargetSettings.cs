namespace TokenVerifier.LoadTarget;

/// <summary>The command line: <c>--mode none|static|userpool|jwtbearer --tokens FILE --ready FILE [--token-count N] [--urls URL]</c>.</summary>
internal sealed record LoadTargetSettings(LoadTargetMode Mode, string TokensFile, string ReadyFile, int TokenCount)
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
            "jwtbearer" => LoadTargetMode.JwtBearer,
            var other => throw new ArgumentException($"--mode must be none, static, userpool or jwtbearer, not '{other}'."),
        };
        var tokens = Value("--tokens") ?? throw new ArgumentException("--tokens FILE is required.");
        var ready = Value("--ready") ?? throw new ArgumentException("--ready FILE is required.");
        var count = int.TryParse(Value("--token-count"), out var n) && n > 0 ? n : 1000;
        return new LoadTargetSettings(mode, tokens, ready, count);
    }
}
