using Microsoft.AspNetCore.Authentication;

namespace WebApi.Authentication;

/// <summary>
/// Schemes beside the default <c>UserPool</c> one, each added only when its configuration section exists, so the sample
/// as shipped has just the default scheme (the emulator integration tests configure both).
/// </summary>
internal static class OptionalSchemes
{
    /// <summary>Accepts ID tokens (section <c>UserPoolIdTokens</c>, with <c>"TokenUse": ["id"]</c>): what a front-end sends to a profile endpoint.</summary>
    public const string IdTokens = "IdTokens";

    /// <summary>Accepts tokens of several pools (section <c>UserPoolAll</c>, with a <c>Pools</c> list).</summary>
    public const string AllPools = "AllPools";

    /// <summary>Adds <paramref name="scheme"/> bound from <paramref name="sectionName"/>; returns false when that section is absent.</summary>
    public static bool TryAddUserPool(this AuthenticationBuilder authentication, IConfiguration configuration, string scheme, string sectionName)
    {
        var section = configuration.GetSection(sectionName);
        if (!section.Exists())
        {
            return false;
        }

        authentication.AddUserPool(scheme, options => section.Bind(options.Validation));
        return true;
    }
}
