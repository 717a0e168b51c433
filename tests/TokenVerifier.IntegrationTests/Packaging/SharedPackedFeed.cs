namespace TokenVerifier.IntegrationTests.Packaging;

/// <summary>The tests that consume the packed packages: the solution is packed once for all of them, which run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class SharedPackedFeed : ICollectionFixture<PackedFeed>
{
    public const string Name = "PackedFeed";
}
