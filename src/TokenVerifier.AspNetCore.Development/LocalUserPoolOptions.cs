namespace TokenVerifier.AspNetCore.Development;

/// <summary>How <c>AddLocalUserPool</c> sets up the embedded pool.</summary>
public sealed class LocalUserPoolOptions
{
    /// <summary>The embedded pool's id; its issuer and key address derive from it. Default <c>us-east-1_LocalDev1</c>.</summary>
    public string UserPoolId { get; set; } = "us-east-1_LocalDev1";
}
