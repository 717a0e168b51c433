namespace TokenVerifier.IntegrationTests.Emulator;

/// <summary>A pool created on the emulator, with the addresses the API must be configured with.</summary>
/// <param name="Id">The pool id, <c>local_XXXXXXXX</c>.</param>
/// <param name="Issuer">The <c>iss</c> of its tokens: <c>http://127.0.0.1:{port}/{id}</c> (real Cognito: <c>https://cognito-idp.{region}.amazonaws.com/{id}</c>).</param>
public sealed record EmulatorPool(string Id, string Issuer)
{
    /// <summary>The pool's JWKS address. The emulator serves one fixed key for every pool.</summary>
    public string JwksUri => Issuer + "/.well-known/jwks.json";
}
