namespace TokenVerifier.Claims;

/// <summary>
/// The <see cref="System.Security.Claims.Claim.ValueType"/> of claims holding JSON text, for the JSON values that have no
/// <see cref="System.Security.Claims.ClaimValueTypes"/> counterpart. The values are those of IdentityModel's
/// <c>JsonClaimValueTypes</c>, so code written against <c>AddJwtBearer</c> keeps working.
/// </summary>
public static class UserPoolClaimValueTypes
{
    /// <summary>A JSON object, as signed (<c>JsonClaimValueTypes.Json</c>).</summary>
    public const string Json = "JSON";

    /// <summary>A JSON array nested in an array claim, as signed (<c>JsonClaimValueTypes.JsonArray</c>).</summary>
    public const string JsonArray = "JSON_ARRAY";
}
