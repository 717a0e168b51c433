namespace TokenVerifier.Validation;

/// <summary>What the parser read from a structurally sound token, before any trust decision.</summary>
internal sealed class ParsedJwt
{
    public string? Algorithm;
    public bool AlgorithmIsString;
    public string? KeyId;
    public bool HasCritical;

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

    private UserPoolToken? _token;

    /// <summary>Whether the token has a <c>username</c> string, read or not.</summary>
    public bool HasUsername => Username is not null || UsernameAt.IsSet;

    /// <summary>What the claims are read into, made on first use: a token refused before its claims are read makes none.</summary>
    public UserPoolToken Token => _token ??= new();
}
