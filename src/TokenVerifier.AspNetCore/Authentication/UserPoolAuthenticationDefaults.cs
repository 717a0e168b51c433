namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>Default names used by <c>AddUserPoolAuth</c>.</summary>
public static class UserPoolAuthenticationDefaults
{
    /// <summary>The default authentication scheme name.</summary>
    public const string AuthenticationScheme = "UserPool";

    /// <summary>The configuration section bound by <c>AddUserPoolAuth(IConfiguration)</c>.</summary>
    public const string ConfigurationSection = "UserPool";
}
