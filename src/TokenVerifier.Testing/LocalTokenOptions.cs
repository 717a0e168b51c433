namespace TokenVerifier.Testing;

/// <summary>
/// What a <see cref="LocalUserPool"/> puts in a token. Every member is optional; the defaults give
/// the token a signed-in Cognito user would get from the pool's default app client.
/// </summary>
public sealed class LocalTokenOptions
{
    /// <summary>The user name: <c>username</c> in access tokens, <c>cognito:username</c> in ID tokens. Default <c>"alice"</c>.</summary>
    public string Username { get; set; } = "alice";

    /// <summary>
    /// The <c>sub</c> claim. Default: a UUID derived from the pool id and <see cref="Username"/>, so
    /// the same user always gets the same <c>sub</c>, as in Cognito.
    /// </summary>
    public string? Subject { get; set; }

    /// <summary>The <c>cognito:groups</c> claim. Empty (the default) omits the claim, as Cognito does for users in no group.</summary>
    public IList<string> Groups { get; } = [];

    /// <summary>
    /// The access token's <c>scope</c> claim, joined with spaces into one string.
    /// Empty (the default) means <c>aws.cognito.signin.user.admin</c>.
    /// </summary>
    public IList<string> Scopes { get; } = [];

    /// <summary>
    /// The app client id: <c>client_id</c> in access tokens, <c>aud</c> in ID tokens.
    /// Default <see cref="LocalUserPool.DefaultClientId"/>.
    /// </summary>
    public string? ClientId { get; set; }

    /// <summary><c>exp</c> − <c>iat</c>. Default one hour (Cognito allows 5 minutes to 24 hours; any value is accepted here).</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The <c>iat</c> claim. Default: now, from the pool's <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset? IssuedAt { get; set; }

    /// <summary>The <c>auth_time</c> claim (when the user signed in). Default <see cref="IssuedAt"/>.</summary>
    public DateTimeOffset? AuthTime { get; set; }

    /// <summary>An <c>nbf</c> claim. Cognito never sends one, so it is only written when set.</summary>
    public DateTimeOffset? NotBefore { get; set; }

    /// <summary>The kid of the published key to sign with. Default <see cref="LocalUserPool.CurrentKeyId"/>.</summary>
    public string? KeyId { get; set; }

    /// <summary>The ID token's <c>email</c> claim (with <c>email_verified</c> true). Default <c>{Username}@example.test</c>.</summary>
    public string? Email { get; set; }

    /// <summary>The <c>origin_jti</c> claim, which ties a token to its refresh token. Default: a random UUID per sign-in.</summary>
    public string? OriginJti { get; set; }

    /// <summary>
    /// The <c>jti</c> claim. Default: a random UUID per token. In <see cref="LocalUserPool.SignIn"/> it
    /// applies to the access token only, because the two tokens of one sign-in never share a jti.
    /// </summary>
    public string? Jti { get; set; }

    /// <summary>
    /// Extra claims, or replacements for default claims of the same name (which keep their position).
    /// Values may be <see cref="string"/>, <see cref="bool"/>, <see cref="int"/>, <see cref="long"/>,
    /// <see cref="double"/>, <see cref="DateTimeOffset"/> (written as integer seconds),
    /// <see cref="System.Text.Json.JsonElement"/> or <see cref="System.Text.Json.Nodes.JsonNode"/> (written as is),
    /// a dictionary of names to such values (a JSON object), a sequence of such values (a JSON array), or <see langword="null"/>:
    /// every shape a pre-token-generation trigger can add. The dictionary is ordinal, so <c>Email</c> beside
    /// <c>email</c> gives a token with both, as a trigger can.
    /// </summary>
    public IDictionary<string, object?> AdditionalClaims { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);

    /// <summary>Names of claims to leave out, such as <c>exp</c>, to build tokens a verifier must reject.</summary>
    public ISet<string> OmitClaims { get; } = new HashSet<string>(StringComparer.Ordinal);
}
