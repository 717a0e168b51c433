using BenchmarkDotNet.Running;
using TokenVerifier.Benchmarks;

// "--paired" measures the ratios to the RSA floor in alternating blocks ("--paired <rows> <rounds>": only the rows whose
// name contains <rows>, that many rounds), "--cache-retention" what the validated-token cache keeps per entry,
// "--scaling" two threads against one, "--auth-paired" and "--auth-allocations" the per-request rows (our handler
// against the floor) in alternating blocks and by allocated type ("--auth-loop <row> <seconds>" one of them alone for a
// profiler), "--loop <row> <seconds>" one row alone for a profiler
// ("floor:<row>" its floor), "--stages" what each step of a validation costs beside the floor, "--interference" what
// work of a known kind between two verifications costs the floor; anything else goes to BenchmarkDotNet.
if (args is ["--paired"])
{
    PairedRatios.Run();
}
else if (args is ["--paired", var only, var rounds])
{
    PairedRatios.Run(only, int.Parse(rounds, System.Globalization.CultureInfo.InvariantCulture));
}
else if (args is ["--auth-paired", ..] && args.Length <= 3)
{
    AuthenticationProfile.Paired(Count(args, 1, 2000), Count(args, 2, 200));
}
else if (args is ["--auth-allocations", var row, ..] && args.Length <= 3)
{
    AuthenticationProfile.Allocations(row, Count(args, 2, 300_000));
}
else if (args is ["--auth-loop", var authRow, var authSeconds])
{
    AuthenticationProfile.Loop(authRow!, double.Parse(authSeconds!, System.Globalization.CultureInfo.InvariantCulture));
}
else if (args is ["--loop", var loopRow, var seconds])
{
    PairedRatios.Loop(loopRow!, double.Parse(seconds!, System.Globalization.CultureInfo.InvariantCulture));
}
else if (args is ["--stages"])
{
    PipelineStages.Run();
}
else if (args is ["--interference"])
{
    Interference.Run();
}
else if (args is ["--cache-retention"])
{
    CacheRetention.Run();
}
else if (args is ["--scaling"])
{
    CoreScaling.Run();
}
else
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}

/// <summary>Entry point.</summary>
public partial class Program
{
    private static int Count(string[] args, int at, int otherwise) =>
        args.Length > at ? int.Parse(args[at], System.Globalization.CultureInfo.InvariantCulture) : otherwise;
}
