namespace TokenVerifier.Validation;

/// <summary>What the parser read from a structurally sound token, before any trust decision.</summary>
internal sealed class ParsedJwt
{
    public string? Algorithm;
    public bool AlgorithmIsString;
    public string? KeyId;
    public bool HasCritical;

    /// <summary>True when the header was served by <see cref="KnownHeaders"/>, which need not remember it again.</summary>
    public bool HeaderRemembered;

    public string? Issuer;
    public string? TokenUse;
    public string? ClientId;
    public List<string>? Audiences;
    public string? Username;
    public string? CognitoUsername;

    /// <summary>Where the scan found <c>username</c> and <c>cognito:username</c>, when read from its record (not read yet).</summary>
    public PayloadString UsernameAt;
    public PayloadString CognitoUsernameAt;

    /// <summary>The first claim whose JSON type was wrong; reported only after the signature verified.</summary>
    public string? InvalidClaim;

    public NumericDate Expiration;
    public NumericDate IssuedAt;
    public NumericDate NotBefore;

    /// <summary>Where the payload segment starts in the token.</summary>
    public int PayloadStart;

    /// <summary>Length of <c>header.payload</c>, the signing input.</summary>
    public int SignedLength;

    /// <summary>Bytes in the decoded payload.</summary>
    public int PayloadLength;

    /// <summary>Top-level members whose places <see cref="IssuerScan"/> recorded; -1 when it recorded none.</summary>
    public int ScannedMembers = -1;

    // Each thread keeps the parsed token of its last synchronous validation for its next: the validator's steps take
    // it and give it back (Rent, Return), so a validation that never waits allocates none.
    [ThreadStatic]
    private static ParsedJwt? t_spare;

    private UserPoolToken? _token;

    /// <summary>
    /// A parsed token with nothing read yet but where its segments lie: the thread's spare one, cleared, or a new one.
    /// Give it back with <see cref="Return"/> once nothing refers to it any more; one that is never given back is
    /// simply collected.
    /// </summary>
    public static ParsedJwt Rent(int payloadStart, int signedLength)
    {
        var jwt = t_spare ?? new ParsedJwt();
        t_spare = null;
        jwt.Clear();
        jwt.PayloadStart = payloadStart;
        jwt.SignedLength = signedLength;
        return jwt;
    }

    /// <summary>Makes <paramref name="jwt"/> this thread's spare; the caller must hold no reference to it after.</summary>
    public static void Return(ParsedJwt jwt) => t_spare = jwt;

    // Every field back to what a new instance has; ParsedJwtTests sets each field by reflection and checks this clears
    // it, so a field added later and forgotten here fails a test rather than leaking from one token into the next.
    private void Clear()
    {
        Algorithm = null;
        AlgorithmIsString = false;
        KeyId = null;
        HasCritical = false;
        HeaderRemembered = false;
        Issuer = null;
        TokenUse = null;
        ClientId = null;
        Audiences = null;
        Username = null;
        CognitoUsername = null;
        UsernameAt = default;
        CognitoUsernameAt = default;
        InvalidClaim = null;
        Expiration = default;
        IssuedAt = default;
        NotBefore = default;
        PayloadStart = 0;
        SignedLength = 0;
        PayloadLength = 0;
        ScannedMembers = -1;
        _token = null;
    }

    /// <summary>Whether the token has a <c>username</c> string, read or not.</summary>
    public bool HasUsername => Username is not null || UsernameAt.IsSet;

    /// <summary>What the claims are read into, made on first use: a token refused before its claims are read makes none.</summary>
    public UserPoolToken Token => _token ??= new();
}
