namespace TokenVerifier.Revocation;

/// <summary>What a revocation entry names.</summary>
internal enum RevocationKind : byte
{
    /// <summary>One token, by <c>jti</c>.</summary>
    Token,

    /// <summary>One sign-in, by <c>origin_jti</c>.</summary>
    SignIn,

    /// <summary>One user's tokens issued before a time, by <c>sub</c>.</summary>
    User,
}
