namespace TokenVerifier.Testing;

/// <summary>
/// What a <see cref="LocalUserPool"/> puts in a machine client's access token (Cognito's client-credentials grant):
/// no user, so no <c>username</c>, no groups and no <c>origin_jti</c>; <c>sub</c> is the client id.
/// </summary>
public sealed class LocalMachineTokenOptions
{
    /// <summary>The app client id, both <c>client_id</c> and <c>sub</c>. Default <see cref="LocalUserPool.DefaultClientId"/>.</summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// The <c>scope</c> claim, joined with spaces: resource-server scopes such as <c>orders/read</c>.
    /// Empty (the default) omits the claim.
    /// </summary>
    public IList<string> Scopes { get; } = [];

    /// <summary><c>exp</c> − <c>iat</c>. Default one hour.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The <c>iat</c> claim, and <c>auth_time</c>, which Cognito sets to the time of the token request. Default: now.</summary>
    public DateTimeOffset? IssuedAt { get; set; }

    /// <summary>The kid of the published key to sign with. Default <see cref="LocalUserPool.CurrentKeyId"/>.</summary>
    public string? KeyId { get; set; }

    /// <summary>The <c>jti</c> claim. Default: a random UUID per token.</summary>
    public string? Jti { get; set; }

    /// <summary>Extra claims, or replacements for default claims of the same name; the value types of <see cref="LocalTokenOptions.AdditionalClaims"/>.</summary>
    public IDictionary<string, object?> AdditionalClaims { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);

    /// <summary>Names of claims to leave out.</summary>
    public ISet<string> OmitClaims { get; } = new HashSet<string>(StringComparer.Ordinal);
}
