namespace TokenVerifier.IntegrationTests.Redis;

/// <summary>The tests that share one Redis server; xunit runs them one after another.</summary>
[CollectionDefinition(Name)]
public sealed class SharedRedis : ICollectionFixture<RedisFixture>
{
    public const string Name = "Redis";
}
