using TokenVerifier.Validation;

namespace TokenVerifier.Revocation;

/// <summary>
/// Where the application records revoked tokens, so that an offline verifier stops accepting tokens that are still
/// cryptographically valid. Three kinds of entry, each kept only as long as the longest token it can affect:
/// one token (<c>jti</c>), one sign-in (<c>origin_jti</c>, what Cognito's <c>RevokeToken</c> kills) and one user's tokens
/// issued before a time (<c>sub</c>, what <c>GlobalSignOut</c>/<c>AdminUserGlobalSignOut</c> mean).
/// Every entry belongs to one pool, named by its issuer (the tokens' <c>iss</c>): two pools' <c>jti</c>s and <c>sub</c>s
/// never collide, and Cognito's two issuer forms of one pool name the same pool.
/// Implementations are thread-safe; the validator calls <see cref="IsRevokedAsync"/> on every accepted token.
/// </summary>
public interface IRevocationStore
{
    /// <summary>Revokes one token by its <c>jti</c>.</summary>
    /// <param name="issuer">The token's <c>iss</c>: the pool that issued it.</param>
    /// <param name="tokenId">The token's <c>jti</c>.</param>
    /// <param name="expiresAt">
    /// The token's <c>exp</c>: the entry is dropped once the token has expired. Pass <see cref="DateTimeOffset.MaxValue"/>
    /// when unknown; the entry then lives for <see cref="RevocationStoreOptions.MaxTokenLifetime"/>.
    /// </param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask RevokeTokenAsync(string issuer, string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Revokes every access and ID token of one sign-in: the tokens whose <c>origin_jti</c> is <paramref name="originTokenId"/>.
    /// The entry lives for <see cref="RevocationStoreOptions.MaxTokenLifetime"/>, by when every token issued so far has expired;
    /// revoke the refresh token at Cognito as well (<c>RevokeToken</c>) so that no new token of that sign-in is issued after that.
    /// </summary>
    /// <param name="issuer">The <c>iss</c> of the sign-in's tokens: the pool that issued them.</param>
    /// <param name="originTokenId">The <c>origin_jti</c> shared by the sign-in's tokens.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask RevokeSignInAsync(string issuer, string originTokenId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Revokes every access and ID token of one sign-in of the user <paramref name="subject"/>, like
    /// <see cref="RevokeSignInAsync(string, string, CancellationToken)"/>, and lets the store bound the entries one user can hold:
    /// past <see cref="RevocationStoreOptions.MaxSignInEntriesPerUser"/> that user's sign-in entries become one user entry
    /// (tokens of <paramref name="subject"/> issued before now), so one account signing in and out in a loop cannot fill the
    /// store. Prefer this overload whenever the token's <c>sub</c> is at hand.
    /// </summary>
    /// <param name="issuer">The <c>iss</c> of the sign-in's tokens: the pool that issued them.</param>
    /// <param name="originTokenId">The <c>origin_jti</c> shared by the sign-in's tokens.</param>
    /// <param name="subject">The <c>sub</c> of the sign-in's tokens.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask RevokeSignInAsync(string issuer, string originTokenId, string subject, CancellationToken cancellationToken = default) =>
        RevokeSignInAsync(issuer, originTokenId, cancellationToken);

    /// <summary>
    /// Revokes every token of a user (<c>sub</c>) issued before <paramref name="issuedBefore"/> (<c>iat</c> &lt; <paramref name="issuedBefore"/>).
    /// A later call with an earlier time does not shorten an existing revocation. The entry lives until the last token it
    /// can affect has expired: <paramref name="issuedBefore"/> + <see cref="RevocationStoreOptions.MaxTokenLifetime"/>.
    /// </summary>
    /// <param name="issuer">The user's pool, as its tokens' <c>iss</c>: a <c>sub</c> is unique only within its pool.</param>
    /// <param name="subject">The user's <c>sub</c>.</param>
    /// <param name="issuedBefore">Tokens issued before this instant are rejected; usually now.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask RevokeUserAsync(string issuer, string subject, DateTimeOffset issuedBefore, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether a validated token is revoked by its <c>jti</c>, its <c>origin_jti</c>, or its user (<c>sub</c> and <c>iat</c>),
    /// among the entries of the pool named by its <c>iss</c> (<see cref="UserPoolToken.Issuer"/>, which the validator matched
    /// to a configured pool).
    /// Throws when the store cannot answer; the validator then applies <see cref="RevocationOptions.FailureMode"/>.
    /// </summary>
    /// <param name="token">A token that passed every other check; its <see cref="UserPoolToken.Issuer"/> names its pool.</param>
    /// <param name="cancellationToken">Cancels the look-up.</param>
    ValueTask<bool> IsRevokedAsync(UserPoolToken token, CancellationToken cancellationToken = default);
}
