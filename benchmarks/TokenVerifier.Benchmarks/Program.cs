using BenchmarkDotNet.Running;
using TokenVerifier.Benchmarks;

// "--paired" measures the ratios to the RSA floor in alternating blocks ("--paired <rows> <rounds>": only the rows whose
// name contains <rows>, that many rounds), "--cache-retention" what the validated-token cache keeps per entry,
// "--scaling" two threads against one; anything else goes to BenchmarkDotNet.
if (args is ["--paired"])
{
    PairedRatios.Run();
}
else if (args is ["--paired", var only, var rounds])
{
    PairedRatios.Run(only, int.Parse(rounds, System.Globalization.CultureInfo.InvariantCulture));
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
public partial class Program;
