using System.Security.Claims;
using TokenVerifier.Claims;

namespace TokenVerifier.Validation;

/// <summary>A validated Cognito user-pool token: the facts the checks used, plus every claim under its original name.</summary>
public sealed class UserPoolToken
{
    // The per-token strings, each either read or where it lies in the payload (PayloadString), to be read on first use.
    private string? _subject;
    private string? _username;
    private string? _tokenId;
    private string? _originTokenId;
    private PayloadString _subjectAt;
    private PayloadString _usernameAt;
    private PayloadString _tokenIdAt;
    private PayloadString _originTokenIdAt;

    internal UserPoolToken()
    {
    }

    /// <summary><c>access</c> or <c>id</c>.</summary>
    public string TokenUse { get; internal set; } = "";

    /// <summary>The <c>iss</c> claim.</summary>
    public string Issuer { get; internal set; } = "";

    /// <summary>
    /// The id of the pool whose issuer the token matched, from the configuration (or the pool resolver), never from the
    /// token; also the <see cref="UserPoolClaimTypes.UserPool"/> claim of its identity.
    /// </summary>
    public string UserPoolId { get; internal set; } = "";

    /// <summary>The header <c>kid</c>: the key that signed the token.</summary>
    public string KeyId { get; internal set; } = "";

    /// <summary>The <c>sub</c> claim.</summary>
    public string? Subject
    {
        get => _subject ?? Deferred(ref _subject, _subjectAt);
        internal set => (_subject, _subjectAt) = (value, default);
    }

    /// <summary><c>username</c> (access token) or <c>cognito:username</c> (ID token).</summary>
    public string? Username
    {
        get => _username ?? Deferred(ref _username, _usernameAt);
        internal set => (_username, _usernameAt) = (value, default);
    }

    /// <summary>The app client: <c>client_id</c> (access token) or the matching <c>aud</c> (ID token).</summary>
    public string? ClientId { get; internal set; }

    /// <summary>
    /// Whether a machine client (the client-credentials grant) holds the token rather than a user: an access token
    /// with no <c>username</c> whose <c>sub</c> is its <c>client_id</c>. Such a token's identity is named by its
    /// <c>client_id</c>.
    /// </summary>
    public bool IsMachineClient { get; internal set; }

    /// <summary>The <c>jti</c> claim.</summary>
    public string? TokenId
    {
        get => _tokenId ?? Deferred(ref _tokenId, _tokenIdAt);
        internal set => (_tokenId, _tokenIdAt) = (value, default);
    }

    /// <summary>The <c>origin_jti</c> claim: the sign-in this token descends from.</summary>
    public string? OriginTokenId
    {
        get => _originTokenId ?? Deferred(ref _originTokenId, _originTokenIdAt);
        internal set => (_originTokenId, _originTokenIdAt) = (value, default);
    }

    /// <summary>When the token expires (<c>exp</c>).</summary>
    public DateTimeOffset ExpiresAt { get; internal set; }

    /// <summary>When the token was issued (<c>iat</c>).</summary>
    public DateTimeOffset IssuedAt { get; internal set; }

    /// <summary>The groups of <c>cognito:groups</c>; read-only, as a cached token is shared by every request that presents it.</summary>
    public IReadOnlyList<string> Groups { get; internal set; } = [];

    /// <summary>The scopes of the space-separated <c>scope</c> claim; read-only, as the groups are.</summary>
    public IReadOnlyList<string> Scopes { get; internal set; } = [];

    /// <summary>
    /// The compact token itself, as the request's string until the token is cached (then <see cref="AsciiSource"/>): its
    /// claims are read from it again when an identity needs them, not kept.
    /// </summary>
    internal string? Source { get; set; } = "";

    /// <summary>The compact token as ASCII bytes, the same array the validated-token cache keys its entry by.</summary>
    internal byte[]? AsciiSource { get; private set; }

    /// <summary>
    /// True when a claim's name matches the user name, group or scope claim's only ignoring case: the identity then
    /// answers those lookups from every claim instead of from <see cref="Username"/>, <see cref="Groups"/> and <see cref="Scopes"/>.
    /// </summary>
    internal bool HasCaseVariantName { get; set; }

    /// <summary>Every claim of the token, in order, read again from its compact form (new strings each call).</summary>
    internal ClaimData[] ReadClaims() => AsciiSource is { } ascii ? JwtReader.ReadClaims(ascii) : JwtReader.ReadClaims(Source!);

    /// <summary>
    /// Reads the claims from <paramref name="ascii"/>, the cache's key for this token, from now on. The string is let go:
    /// kept, it would double what a cached entry holds (its UTF-16 characters are twice the key's bytes).
    /// </summary>
    internal void ShareSource(byte[] ascii)
    {
        AsciiSource = ascii;
        Source = null;
    }

    /// <summary>Records where <c>sub</c>, <c>jti</c> and <c>origin_jti</c> lie in the scanned payload, each to be read on first use.</summary>
    internal void DeferClaims(PayloadString subject, PayloadString tokenId, PayloadString originTokenId)
    {
        _subjectAt = subject;
        _tokenIdAt = tokenId;
        _originTokenIdAt = originTokenId;
    }

    /// <summary>The user name as the claims read left it: read already, or where it lies in the scanned payload.</summary>
    internal void SetUsername(string? read, PayloadString at) => (_username, _usernameAt) = (read, at);

    /// <summary><see cref="Subject"/>, read from the decoded payload while the validation still has it.</summary>
    internal string? SubjectFrom(ReadOnlySpan<byte> payload) =>
        _subject ??= _subjectAt.IsSet ? _subjectAt.FromPayload(payload) : null;

    /// <summary>Builds a new identity from the token's claims; each call returns new objects, so callers may change them freely.</summary>
    /// <param name="authenticationType">The identity's authentication type (the scheme name).</param>
    public ClaimsIdentity CreateIdentity(string authenticationType)
    {
        // A machine client has no user name; its client id is what logs and Identity.Name can show for it.
        var nameType = TokenUse == TokenUses.Id ? UserPoolClaimTypes.CognitoUsername
            : IsMachineClient ? UserPoolClaimTypes.ClientId
            : UserPoolClaimTypes.Username;
        return new UserPoolClaimsIdentity(this, UserPoolId, authenticationType, nameType, UserPoolClaimTypes.Groups);
    }

    // A deferred string is read from the token's compact form, which Source or AsciiSource holds from before the token is
    // handed out. Two threads asking at once each read it; either string serves.
    private string? Deferred(ref string? field, PayloadString at)
    {
        if (!at.IsSet)
        {
            return null;
        }

        var text = AsciiSource is { } ascii ? at.FromToken(ascii) : at.FromToken(Source);
        field = text;
        return text;
    }
}
