namespace TokenVerifier.IntegrationTests.Redis;

/// <summary>
/// The Redis failover tests, run one at a time after every other collection of the assembly (xunit runs a collection that
/// disables parallelization last): their five Redis processes, three app instances and the Sentinels' timers judge timing
/// on the machine's two cores. In the Redis collection they ran beside the packaging tests' native AOT publish, and a run
/// of the project alone saw the load average reach 16 and the Sentinel failover test fail there.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RedisFailover
{
    public const string Name = "Redis failover";
}
