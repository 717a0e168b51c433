namespace TokenVerifier.IntegrationTests.Redis.Native;

/// <summary>
/// A test that produces load figures rather than checking behaviour: it runs only when <c>TOKENVERIFIER_REDIS_LOAD=1</c>
/// (<c>benchmarks/redis/run.sh</c> sets it), so the suite stays within its time budget.
/// </summary>
public sealed class LoadFigureFactAttribute : FactAttribute
{
    public const string Variable = "TOKENVERIFIER_REDIS_LOAD";

    public LoadFigureFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
        {
            Skip = $"Load figures: run benchmarks/redis/run.sh (it sets {Variable}=1).";
        }
    }
}
