namespace TokenVerifier.IntegrationTests.Emulator;

/// <summary>Tests that share one emulator and one sample API per run.</summary>
[CollectionDefinition(Name)]
public sealed class SharedCognitoEmulator : ICollectionFixture<CognitoEmulatorFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Cognito emulator";
}
