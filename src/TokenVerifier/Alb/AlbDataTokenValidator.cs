using System.Security.Cryptography;

namespace TokenVerifier.Alb;

/// <summary>
/// Verifies <c>x-amzn-oidc-data</c>. Every check that needs no key runs first (format, <c>alg</c>, <c>kid</c>, the
/// header metadata, <c>signer</c>, <c>iss</c>, <c>client</c>, <c>exp</c>), so a forged token never causes a key fetch;
/// then the key of the configured signer's region and the ES256 signature over the padded text.
/// </summary>
internal sealed class AlbDataTokenValidator(AlbDataTokenSettings settings, AlbKeyCache keys, TimeProvider time)
{
    public AlbKeyCache Keys { get; } = keys;

    public async ValueTask<AlbDataTokenResult> ValidateAsync(string data, CancellationToken cancellationToken)
    {
        var failure = AlbTokenReader.TryRead(data, settings.MaxTokenLength, out var token, out var error);
        if (failure != AlbFailure.None)
        {
            return AlbDataTokenResult.Fail(failure, error!);
        }

        if (!AlbKeyId.IsWellFormed(token!.KeyId))
        {
            return AlbDataTokenResult.Fail(AlbFailure.InvalidKeyId, "The ALB data token's kid is missing or is not a plain key id.");
        }

        if (token.Signer is null || token.Issuer is null || token.Client is null || token.ExpiresAt is null)
        {
            return AlbDataTokenResult.Fail(AlbFailure.InvalidMetadata, "The ALB data token's header lacks exp, iss, client or signer, or one has the wrong type.");
        }

        // The region, and so the key endpoint, comes from the configured ARN the signer equals: never from the token.
        if (!settings.Signers.TryGetValue(token.Signer, out var keyBase))
        {
            return AlbDataTokenResult.Fail(AlbFailure.UntrustedSigner, "The ALB data token was signed by a load balancer that is not configured.");
        }

        if (!settings.Issuers.Contains(token.Issuer))
        {
            return AlbDataTokenResult.Fail(AlbFailure.UnknownIssuer, "The ALB data token's issuer is not the configured user pool.");
        }

        if (!string.Equals(token.Client, settings.ClientId, StringComparison.Ordinal))
        {
            return AlbDataTokenResult.Fail(AlbFailure.InvalidClient, "The ALB data token's client is not the configured app client.");
        }

        if (time.GetUtcNow() - settings.ClockSkew >= token.ExpiresAt)
        {
            return AlbDataTokenResult.Fail(AlbFailure.Expired, "The ALB data token has expired.");
        }

        var (key, keyFailure, keyError) = await Keys.ResolveAsync(new Uri(keyBase, token.KeyId), cancellationToken);
        if (key is null)
        {
            return AlbDataTokenResult.Fail(keyFailure, keyError!);
        }

        // IEEE P1363 is R||S, what JOSE writes: a DER signature never reaches here (its length is not 64). High-S values
        // are accepted, as ES256 defines them: AWS does not document that the ALB normalises S (refusing them could refuse
        // about half of its real tokens), and nothing here keys on the signature's bytes.
        if (!key.VerifyData(token.SigningInput, token.Signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        {
            return AlbDataTokenResult.Fail(AlbFailure.InvalidSignature, "The ALB data token's signature does not verify with the load balancer's key.");
        }

        if (token.Subject is null)
        {
            return AlbDataTokenResult.Fail(AlbFailure.MissingSubject, "The ALB data token has no string 'sub'.");
        }

        return new AlbDataTokenResult(token, AlbFailure.None, null);
    }
}
