using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using TokenVerifier.Revocation;
using TokenVerifier.Testing;
using TokenVerifier.Tests.Revocation;
using TokenVerifier.Validation;
using static TokenVerifier.Validation.TokenFailure;

namespace TokenVerifier.Tests.Security;

/// <summary>
/// The hostile and malformed tokens, each with the exact reason it must be rejected for. Grouped as the validator checks
/// them: shape, header JSON, algorithm, kid, header injection, payload JSON, claims, issuer, signature, the key set.
/// </summary>
internal static class AdversarialCorpus
{
    private const string AttackerKid = "attacker-key-1";

    public static IReadOnlyList<CorpusCase> Cases { get; } =
    [
        // Shape: three canonical base64url segments, nothing else.
        new("empty string", Malformed, _ => ""),
        new("two segments", Malformed, f => f.Valid[..f.Valid.LastIndexOf('.')]),
        new("four segments", Malformed, f => f.Valid + ".c2ln"),
        new("five segments (JWE)", Malformed, f => f.Valid + ".aXY.dGFn"),
        new("empty header segment", Malformed, f => f.Valid[f.Valid.IndexOf('.')..]),
        new("empty payload segment", Malformed, f => Segments(f.Valid, s => [s[0], "", s[2]])),
        new("only dots", Malformed, _ => ".."),
        new("leading space", Malformed, f => " " + f.Valid),
        new("trailing newline", Malformed, f => f.Valid + "\n"),
        new("space inside the payload", Malformed, f => f.Valid.Insert(f.Valid.IndexOf('.') + 5, " ")),
        new("tab before the signature", Malformed, f => f.Valid.Insert(f.Valid.LastIndexOf('.') + 1, "\t")),
        new("padding on the header", Malformed, f => Segments(f.Valid, s => [s[0] + "=", s[1], s[2]])),
        new("padding on the signature", Malformed, f => f.Valid + "=="),
        new("standard base64 + and / in the signature", Malformed, f => Segments(f.Valid, s => [s[0], s[1], s[2].Replace('-', '+').Replace('_', '/') + "+/"])),
        new("non-canonical last character of the payload", Malformed, f => Segments(f.Valid, s => [s[0], NonCanonical(f.Payload()), s[2]])),
        new("non-ASCII letter in the signature", Malformed, f => f.Valid[..^1] + "é"),
        new("NUL character", Malformed, f => f.Valid.Insert(3, "\0")),
        new("1 MB token", TooLarge, f => f.Valid + new string('A', 1024 * 1024)),

        // Header JSON: one plain object, unique members.
        new("header is an array", Malformed, f => f.Signed("[\"RS256\"]", f.Payload())),
        new("header is a string", Malformed, f => f.Signed("\"RS256\"", f.Payload())),
        new("header is null", Malformed, f => f.Signed("null", f.Payload())),
        new("header is a number", Malformed, f => f.Signed("256", f.Payload())),
        new("header with trailing garbage", Malformed, f => f.Signed(f.Header() + "x", f.Payload())),
        new("header of two objects", Malformed, f => f.Signed(f.Header() + "{}", f.Payload())),
        new("header with alg twice", Malformed, f => f.Signed(f.Header(extra: "\"alg\":\"none\""), f.Payload())),
        new("header with alg twice, one escaped", Malformed, f => f.Signed(f.Header(extra: "\"al\\u0067\":\"none\""), f.Payload())),
        new("header with kid twice", Malformed, f => f.Signed(f.Header(extra: $"\"kid\":\"{AttackerKid}\""), f.Payload())),
        new("header with a BOM", Malformed, f => f.Signed("\uFEFF" + f.Header(), f.Payload())),
        new("header with leading whitespace", Malformed, f => f.Signed(" " + f.Header(), f.Payload())),
        new("header with a comment", Malformed, f => f.Signed("{/* x */" + f.Header()[1..], f.Payload())),
        new("header with a trailing comma", Malformed, f => f.Signed(f.Header()[..^1] + ",}", f.Payload())),
        new("header nested 17 deep", Malformed, f => f.Signed(f.Header(extra: "\"x\":" + Nested(17)), f.Payload())),
        new("header nested 5,000 deep", Malformed, f => f.Signed(f.Header(extra: "\"x\":" + Nested(5_000)), f.Payload())),
        new("header with invalid UTF-8 in an ignored member", Malformed, f => f.Pool.SignRaw(Bytes(f.Header(extra: "\"x\":\"\u0001\"")).Replace1((byte)1, [0xC3, 0x28]), Encoding.UTF8.GetBytes(f.Payload()))),

        // Algorithm: RS256 only, whatever else the token claims.
        new("alg none, unsigned", UnsupportedAlgorithm, f => Forge.SigningInput(f.Header("none"), f.Payload()) + "."),
        new("alg None, unsigned", UnsupportedAlgorithm, f => Forge.SigningInput(f.Header("None"), f.Payload()) + "."),
        new("alg NONE, unsigned", UnsupportedAlgorithm, f => Forge.SigningInput(f.Header("NONE"), f.Payload()) + "."),
        new("alg none with a real RS256 signature", UnsupportedAlgorithm, f => f.Signed(f.Header("none"), f.Payload())),
        new("HS256 keyed with the public key PEM", UnsupportedAlgorithm, f => Forge.Hmac("HS256", Encoding.ASCII.GetBytes(PublicKey(f).ExportSubjectPublicKeyInfoPem()), f.Header("HS256"), f.Payload())),
        new("HS256 keyed with the public key DER (SPKI)", UnsupportedAlgorithm, f => Forge.Hmac("HS256", PublicKey(f).ExportSubjectPublicKeyInfo(), f.Header("HS256"), f.Payload())),
        new("HS256 keyed with the public key DER (PKCS#1)", UnsupportedAlgorithm, f => Forge.Hmac("HS256", PublicKey(f).ExportRSAPublicKey(), f.Header("HS256"), f.Payload())),
        new("HS256 keyed with the JWK JSON", UnsupportedAlgorithm, f => Forge.Hmac("HS256", Encoding.UTF8.GetBytes(f.Pool.GetJwksJson()), f.Header("HS256"), f.Payload())),
        new("HS384 keyed with the public key PEM", UnsupportedAlgorithm, f => Forge.Hmac("HS384", Encoding.ASCII.GetBytes(PublicKey(f).ExportSubjectPublicKeyInfoPem()), f.Header("HS384"), f.Payload())),
        new("HS512 keyed with the public key PEM", UnsupportedAlgorithm, f => Forge.Hmac("HS512", Encoding.ASCII.GetBytes(PublicKey(f).ExportSubjectPublicKeyInfoPem()), f.Header("HS512"), f.Payload())),
        new("PS256 with a real signature", UnsupportedAlgorithm, f => f.Signed(f.Header("PS256"), f.Payload())),
        new("ES256", UnsupportedAlgorithm, f => f.Signed(f.Header("ES256"), f.Payload())),
        new("RS384 with a real signature", UnsupportedAlgorithm, f => f.Signed(f.Header("RS384"), f.Payload())),
        new("RS512 with a real signature", UnsupportedAlgorithm, f => f.Signed(f.Header("RS512"), f.Payload())),
        new("alg missing", UnsupportedAlgorithm, f => f.Signed($"{{\"kid\":\"{f.Kid}\"}}", f.Payload())),
        new("alg a number", UnsupportedAlgorithm, f => f.Signed($"{{\"kid\":\"{f.Kid}\",\"alg\":256}}", f.Payload())),
        new("alg an array", UnsupportedAlgorithm, f => f.Signed($"{{\"kid\":\"{f.Kid}\",\"alg\":[\"RS256\"]}}", f.Payload())),
        new("alg with a trailing space", UnsupportedAlgorithm, f => f.Signed(f.Header("RS256 "), f.Payload())),
        new("alg in lower case", UnsupportedAlgorithm, f => f.Signed(f.Header("rs256"), f.Payload())),
        new("alg with an escaped NUL", UnsupportedAlgorithm, f => f.Signed(f.Header("RS256\\u0000"), f.Payload())),

        // kid: required, a string, and only ever a lookup key in the configured set.
        new("kid missing", MissingKeyId, f => f.Signed("{\"alg\":\"RS256\"}", f.Payload())),
        new("kid empty", MissingKeyId, f => f.Signed("{\"alg\":\"RS256\",\"kid\":\"\"}", f.Payload())),
        new("kid a number", MissingKeyId, f => f.Signed("{\"alg\":\"RS256\",\"kid\":1}", f.Payload())),
        new("kid null", MissingKeyId, f => f.Signed("{\"alg\":\"RS256\",\"kid\":null}", f.Payload())),
        new("kid an array", MissingKeyId, f => f.Signed($"{{\"alg\":\"RS256\",\"kid\":[\"{f.Kid}\"]}}", f.Payload())),
        new("kid an object", MissingKeyId, f => f.Signed($"{{\"alg\":\"RS256\",\"kid\":{{\"id\":\"{f.Kid}\"}}}}", f.Payload())),
        new("kid a path", KeyNotFound, f => f.Signed("{\"alg\":\"RS256\",\"kid\":\"../../../../etc/passwd\"}", f.Payload())),
        new("kid a URL", KeyNotFound, f => f.Signed("{\"alg\":\"RS256\",\"kid\":\"https://attacker.example/jwks.json\"}", f.Payload())),
        new("kid with SQL", KeyNotFound, f => f.Signed("{\"alg\":\"RS256\",\"kid\":\"' OR '1'='1' --\"}", f.Payload())),
        new("kid with a NUL prefix", KeyNotFound, f => f.Signed($"{{\"alg\":\"RS256\",\"kid\":\"\\u0000{f.Kid}\"}}", f.Payload())),
        new("kid in another case", KeyNotFound, f => f.Signed($"{{\"alg\":\"RS256\",\"kid\":\"{SwapCase(f.Kid)}\"}}", f.Payload())),
        new("kid of 4,000 characters", KeyNotFound, f => f.Signed($"{{\"alg\":\"RS256\",\"kid\":\"{new string('k', 4000)}\"}}", f.Payload())),

        // Keys carried in the header are never used, never fetched.
        new("jwk header with the attacker's key, the pool's kid", InvalidSignature, f => Forge.Rs256(f.Attacker, f.Header(extra: "\"jwk\":" + Forge.Jwk(f.Attacker, f.Kid)), f.Payload())),
        new("jwk header with the attacker's key and kid", KeyNotFound, f => Forge.Rs256(f.Attacker, $"{{\"alg\":\"RS256\",\"kid\":\"{AttackerKid}\",\"jwk\":{Forge.Jwk(f.Attacker, AttackerKid)}}}", f.Payload())),
        new("jku header to the attacker's key set", InvalidSignature, f => Forge.Rs256(f.Attacker, f.Header(extra: "\"jku\":\"https://attacker.example/jwks.json\""), f.Payload())),
        new("x5u header to the attacker's certificate", InvalidSignature, f => Forge.Rs256(f.Attacker, f.Header(extra: "\"x5u\":\"https://attacker.example/cert.pem\""), f.Payload())),
        new("x5c header with the attacker's certificate", InvalidSignature, f => Forge.Rs256(f.Attacker, f.Header(extra: $"\"x5c\":[\"{AttackerCertificate(f)}\"]"), f.Payload())),
        new("jku header on a token the pool signed is ignored", None, f => f.Signed(f.Header(extra: "\"jku\":\"https://attacker.example/jwks.json\""), f.Payload())),

        // crit: nothing is understood, so any crit is refused.
        new("crit naming exp", UnsupportedHeader, f => f.Signed(f.Header(extra: "\"crit\":[\"exp\"],\"exp\":1"), f.Payload())),
        new("crit empty", UnsupportedHeader, f => f.Signed(f.Header(extra: "\"crit\":[]"), f.Payload())),
        new("crit b64 with unencoded payload", UnsupportedHeader, f => f.Signed(f.Header(extra: "\"b64\":false,\"crit\":[\"b64\"]"), f.Payload())),

        // Payload JSON.
        new("payload is an array", Malformed, f => f.Signed(f.Header(), "[" + f.Payload() + "]")),
        new("payload is a string", Malformed, f => f.Signed(f.Header(), "\"claims\"")),
        new("payload with trailing garbage", Malformed, f => f.Signed(f.Header(), f.Payload() + "]")),
        new("payload with iss twice", Malformed, f => f.Signed(f.Header(), f.Payload()[..^1] + ",\"iss\":\"https://attacker.example\"}")),
        new("payload with iss twice, one escaped", Malformed, f => f.Signed(f.Header(), f.Payload()[..^1] + ",\"i\\u0073s\":\"https://attacker.example\"}")),
        new("payload with exp twice", Malformed, f => f.Signed(f.Header(), f.Payload()[..^1] + $",\"exp\":{f.Now + 999_999}}}"), AfterSignature: true),
        new("payload with iss twice after 100 other claims", Malformed, f => f.Signed(f.Header(), f.Payload()[..^1] + ManyClaims(100) + ",\"iss\":\"https://attacker.example\"}")),
        new("payload with a BOM", Malformed, f => f.Signed(f.Header(), "\uFEFF" + f.Payload())),
        new("payload nested 17 deep", Malformed, f => f.Signed(f.Header(), f.Payload()[..^1] + ",\"x\":" + Nested(17) + "}")),
        new("payload nested 5,000 deep", Malformed, f => f.Signed(f.Header(), f.Payload()[..^1] + ",\"x\":" + Nested(5_000) + "}")),
        new("payload with a lone surrogate", Malformed, f => f.Signed(f.Header(), f.Payload()[..^1] + ",\"x\":\"\\uD800\"}"), AfterSignature: true),
        new("payload with invalid UTF-8", Malformed, f => f.Pool.SignRaw(Bytes(f.Header()), Bytes(f.Payload()[..^1] + ",\"x\":\"\u0001\"}").Replace1((byte)1, [0xFF]))),
        new("payload with invalid UTF-8 in a nested claim", Malformed, f => f.Pool.SignRaw(Bytes(f.Header()), Bytes(f.Payload()[..^1] + ",\"x\":{\"y\":\"\u0001\"}}").Replace1((byte)1, [0xC3, 0x28]))),
        new("payload with NaN", Malformed, f => f.Signed(f.Header(), f.Payload()[..^1] + ",\"x\":NaN}")),
        new("payload with trailing whitespace", Malformed, f => f.Signed(f.Header(), f.Payload() + "\n")),
        new("header with trailing whitespace", Malformed, f => f.Signed(f.Header() + " ", f.Payload())),
        new("header with a duplicate in a nested object", Malformed, f => f.Signed(f.Header(extra: "\"jwk\":{\"kty\":\"RSA\",\"kty\":\"oct\"}"), f.Payload())),
        new("payload with a duplicate in a nested object", Malformed, f => f.WithClaims(("address", "{\"country\":\"FR\",\"country\":\"US\"}")), AfterSignature: true),
        new("payload with Username before username", Malformed, f => f.Signed(f.Header(), "{\"Username\":\"root\"," + f.Payload()[1..]), AfterSignature: true),
        new("payload with COGNITO:GROUPS beside cognito:groups", Malformed, f => f.WithClaims(("COGNITO:GROUPS", "[\"root\"]")), AfterSignature: true),
        new("payload with a lone surrogate in a nested member name", Malformed, f => f.WithClaims(("address", "{\"\\udc00\":\"x\"}")), AfterSignature: true),
        new("payload with a number past a double keeps its text, not Infinity", None, f => f.WithClaims(("custom:n", "1e400"))),

        // Claims: types, ranges, time.
        new("exp as a string", InvalidClaim, f => f.WithClaims(("exp", "\"9999999999\""))),
        new("exp as a float in the future is a NumericDate", None, f => f.WithClaims(("exp", CorpusFixture.Seconds(f.Now + 3600.5)))),
        new("exp as a float just past", Expired, f => f.WithClaims(("exp", CorpusFixture.Seconds(f.Now - 0.5)))),
        new("exp huge", InvalidClaim, f => f.WithClaims(("exp", "1e300"))),
        new("exp past the year 9999", InvalidClaim, f => f.WithClaims(("exp", "253402300800"))),
        new("exp negative", InvalidClaim, f => f.WithClaims(("exp", "-1"))),
        new("exp zero", Expired, f => f.WithClaims(("exp", "0"))),
        new("exp null", InvalidClaim, f => f.WithClaims(("exp", "null"))),
        new("exp true", InvalidClaim, f => f.WithClaims(("exp", "true"))),
        new("exp an object", InvalidClaim, f => f.WithClaims(("exp", "{\"$date\":9999999999}"))),
        new("exp missing", MissingClaim, f => f.WithClaims(("exp", null))),
        new("iat as a string", InvalidClaim, f => f.WithClaims(("iat", $"\"{f.Now}\""))),
        new("nbf as a string", InvalidClaim, f => f.WithClaims(("nbf", "\"0\""))),
        new("nbf an hour ahead", NotYetValid, f => f.WithClaims(("nbf", (f.Now + 3600).ToString(System.Globalization.CultureInfo.InvariantCulture)))),
        new("token_use Access", InvalidTokenUse, f => f.WithClaims(("token_use", "\"Access\""))),
        new("token_use with a trailing space", InvalidTokenUse, f => f.WithClaims(("token_use", "\"access \""))),
        new("token_use a number", InvalidClaim, f => f.WithClaims(("token_use", "1"))),
        new("token_use an array", InvalidClaim, f => f.WithClaims(("token_use", "[\"access\"]"))),
        new("token_use refresh", InvalidTokenUse, f => f.WithClaims(("token_use", "\"refresh\""))),
        new("client_id an array", InvalidClaim, f => f.WithClaims(("client_id", $"[\"{f.Pool.DefaultClientId}\"]"))),
        new("client_id a number", InvalidClaim, f => f.WithClaims(("client_id", "42"))),
        new("client_id empty", InvalidClient, f => f.WithClaims(("client_id", "\"\""))),
        new("client_id in another case", InvalidClient, f => f.WithClaims(("client_id", $"\"{f.Pool.DefaultClientId.ToUpperInvariant()}\""))),
        new("access token with aud but no client_id", MissingClaim, f => f.WithClaims(("client_id", null), ("aud", $"\"{f.Pool.DefaultClientId}\""))),
        new("ID token with aud an array holding the client", None, f => f.IdTokenWithAud($"[\"other\",\"{f.Pool.DefaultClientId}\"]"), IdOnly),
        new("ID token with aud an array of other clients", InvalidClient, f => f.IdTokenWithAud("[\"other\",\"another\"]"), IdOnly),
        new("ID token with aud an empty array", MissingClaim, f => f.IdTokenWithAud("[]"), IdOnly),
        new("ID token with a number in aud", InvalidClaim, f => f.IdTokenWithAud($"[42,\"{f.Pool.DefaultClientId}\"]"), IdOnly),
        new("ID token with aud a number", InvalidClaim, f => f.IdTokenWithAud("42"), IdOnly),

        // Issuer: exact match of a configured pool, checked before any key fetch.
        new("issuer with a trailing slash", UnknownIssuer, f => f.WithClaims(("iss", $"\"{f.Pool.Issuer}/\""))),
        new("issuer in upper case", UnknownIssuer, f => f.WithClaims(("iss", $"\"{f.Pool.Issuer.ToUpperInvariant()}\""))),
        new("issuer over http", UnknownIssuer, f => f.WithClaims(("iss", $"\"{f.Pool.Issuer.Replace("https:", "http:", StringComparison.Ordinal)}\""))),
        new("issuer of another pool", UnknownIssuer, f => f.WithClaims(("iss", "\"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other1\""))),
        new("issuer with a trailing space", UnknownIssuer, f => f.WithClaims(("iss", $"\"{f.Pool.Issuer} \""))),
        new("issuer missing", UnknownIssuer, f => f.WithClaims(("iss", null))),
        new("foreign issuer with a nested duplicate (refused before the payload is read in full)", UnknownIssuer, f => f.WithClaims(("iss", "\"https://attacker.example\""), ("address", "{\"a\":1,\"a\":2}"))),
        new("foreign issuer with a case-only duplicate", UnknownIssuer, f => f.WithClaims(("iss", "\"https://attacker.example\""), ("Username", "\"root\""))),
        new("issuer an array", UnknownIssuer, f => f.WithClaims(("iss", $"[\"{f.Pool.Issuer}\"]"))),
        new("issuer in the issuer-cognito-idp form is the same pool", None, f => f.WithClaims(("iss", $"\"{f.Pool.Issuer.Replace("//cognito-idp.", "//issuer-cognito-idp.", StringComparison.Ordinal)}\""))),

        // Signature: exactly the modulus length, strict PKCS#1 v1.5.
        new("signature one byte short", InvalidSignature, f => Forge.WithSignature(f.Valid, Forge.Signature(f.Valid)[1..])),
        new("signature with an extra leading zero byte", InvalidSignature, f => Forge.WithSignature(f.Valid, [0, .. Forge.Signature(f.Valid)])),
        new("signature truncated", InvalidSignature, f => Segments(f.Valid, s => [s[0], s[1], s[2][..100]])),
        new("signature all zero", InvalidSignature, f => Forge.WithSignature(f.Valid, new byte[256])),
        new("signature equal to the modulus", InvalidSignature, f => Forge.WithSignature(f.Valid, Modulus(f, 0))),
        new("signature the modulus minus one", InvalidSignature, f => Forge.WithSignature(f.Valid, Modulus(f, -1))),
        new("signature the modulus plus one", InvalidSignature, f => Forge.WithSignature(f.Valid, Modulus(f, 1))),
        new("signature one", InvalidSignature, f => Forge.WithSignature(f.Valid, [.. new byte[255], 1])),
        new("signature of 2,000 bytes", InvalidSignature, f => Forge.WithSignature(f.Valid, RandomNumberGenerator.GetBytes(2000))),
        new("signature of another token", InvalidSignature, f => Forge.WithSignature(f.Valid, Forge.Signature(f.Pool.MintAccessToken()))),
        new("signature of HMAC length", InvalidSignature, f => Forge.WithSignature(f.Valid, RandomNumberGenerator.GetBytes(32))),
        new("payload edited after signing", InvalidSignature, f => LocalUserPool.TamperPayload(f.Valid, "cognito:groups", "[\"admins\"]")),
        new("header edited after signing", InvalidSignature, f => Segments(f.Valid, s => [Forge.B64(f.Header(extra: "\"typ\":\"JWT\"")), s[1], s[2]])),
        new("signed by the attacker's key under the pool's kid", InvalidSignature, f => Forge.Rs256(f.Attacker, f.Header(), f.Payload())),

        // The key set: keys not fit for RS256 signatures are dropped, whatever a token says.
        new("key set: the key is for encryption", InvalidKey, f => f.Valid, KeySet: (f, jwks) => Forge.EditKeySet(jwks, k => k["use"] = "enc", Decoy(f))),
        new("key set: the key is for RS512", InvalidKey, f => f.Valid, KeySet: (f, jwks) => Forge.EditKeySet(jwks, k => k["alg"] = "RS512", Decoy(f))),
        new("key set: the key is for RSA1_5", InvalidKey, f => f.Valid, KeySet: (f, jwks) => Forge.EditKeySet(jwks, k => k["alg"] = "RSA1_5", Decoy(f))),
        new("key set: the key says kty EC", InvalidKey, f => f.Valid, KeySet: (f, jwks) => Forge.EditKeySet(jwks, k => k["kty"] = "EC", Decoy(f))),
        new("key set: key_ops encrypt", InvalidKey, f => f.Valid, KeySet: (f, jwks) => Forge.EditKeySet(jwks, k => k["key_ops"] = new JsonArray("encrypt"), Decoy(f))),
        new("key set: public exponent 1", InvalidKey, f => f.Valid, KeySet: (f, jwks) => Forge.EditKeySet(jwks, k => k["e"] = "AQ", Decoy(f))),
        new("key set: 1024-bit modulus", InvalidKey, f => Forge.Rs256(f.Weak, $"{{\"alg\":\"RS256\",\"kid\":\"weak-1024\"}}", f.Payload()), KeySet: (f, jwks) => Forge.EditKeySet(jwks, null, Forge.Jwk(f.Weak, "weak-1024"))),
        new("key set: the attacker's key under the same kid", InvalidKey, f => f.Valid, KeySet: (f, jwks) => Forge.EditKeySet(jwks, null, Forge.Jwk(f.Attacker, f.Kid), Decoy(f))),
        new("key set: the same key listed twice", InvalidKey, f => f.Valid, KeySet: (f, jwks) => Forge.EditKeySet(jwks, null, JsonNode.Parse(jwks)!["keys"]![0]!.ToJsonString(), Decoy(f))),
        new("key set: no usable key at all", KeysUnavailable, f => f.Valid, KeySet: (_, jwks) => Forge.EditKeySet(jwks, k => k["use"] = "enc")),
        new("key set: key_ops verify is fine", None, f => f.Valid, KeySet: (_, jwks) => Forge.EditKeySet(jwks, k => k["key_ops"] = new JsonArray("verify"))),
        // Revocation: a valid token that the application has revoked, or whose status cannot be checked.
        new("revoked token (jti)", Revoked, f => f.WithClaims(("jti", "\"revoked-jti-1\"")), Revocation: f => f.StoreWith(s => s.RevokeTokenAsync(f.T.Pool.Issuer, "revoked-jti-1", f.T.Time.GetUtcNow().AddHours(1)))),
        new("revoked sign-in (origin_jti)", Revoked, f => f.WithClaims(("origin_jti", "\"revoked-sign-in-1\"")), Revocation: f => f.StoreWith(s => s.RevokeSignInAsync(f.T.Pool.Issuer, "revoked-sign-in-1"))),
        new("user signed out everywhere after the token was issued", Revoked, f => f.WithClaims(("sub", "\"signed-out-user\"")), Revocation: f => f.StoreWith(s => s.RevokeUserAsync(f.T.Pool.Issuer, "signed-out-user", f.T.Time.GetUtcNow().AddSeconds(1)))),
        new("revocation store refuses, fail-closed", RevocationUnavailable, f => f.Valid, Revocation: f => new FlakyRevocationStore(new InMemoryRevocationStore(timeProvider: f.T.Time)) { Behaviour = StoreBehaviour.RefuseAtOnce }),
        new("key set: no use and no alg is fine", None, f => f.Valid, KeySet: (_, jwks) => Forge.EditKeySet(jwks, k =>
        {
            k.Remove("use");
            k.Remove("alg");
        })),
    ];

    private static void IdOnly(UserPoolValidationOptions options) => options.TokenUse = ["id"];

    private static string Decoy(CorpusFixture f) => Forge.Jwk(f.Attacker, "decoy-unrelated-key");

    private static RSA PublicKey(CorpusFixture f) => RSA.Create(f.Pool.ExportPublicKey(f.Kid));

    private static string AttackerCertificate(CorpusFixture f)
    {
        var request = new CertificateRequest("CN=cognito-idp.us-east-1.amazonaws.com", f.Attacker, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100));
        return Convert.ToBase64String(certificate.RawData);
    }

    // The pool's modulus plus delta, as a 256-byte big-endian signature.
    private static byte[] Modulus(CorpusFixture f, int delta)
    {
        var n = new BigInteger(f.Pool.ExportPublicKey(f.Kid).Modulus, isUnsigned: true, isBigEndian: true) + delta;
        var bytes = n.ToByteArray(isUnsigned: true, isBigEndian: true);
        return bytes.Length >= 256 ? bytes : [.. new byte[256 - bytes.Length], .. bytes];
    }

    private static string Segments(string token, Func<string[], string[]> change) => string.Join('.', change(token.Split('.')));

    // Sets unused low bits in the last character: decodes to the same bytes, so a lenient decoder would accept it.
    private static string NonCanonical(string json)
    {
        var segment = Forge.B64(json);
        if (segment.Length % 4 == 0)
        {
            segment = Forge.B64(json + " ");
        }

        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return segment[..^1] + alphabet[alphabet.IndexOf(segment[^1], StringComparison.Ordinal) + 1];
    }

    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    private static string ManyClaims(int count) => string.Concat(Enumerable.Range(0, count).Select(i => $",\"custom:c{i}\":{i}"));

    private static string SwapCase(string s) => string.Concat(s.Select(c => char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)));

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    // Replaces the first occurrence of a marker byte with raw bytes that no string literal can carry (invalid UTF-8).
    private static byte[] Replace1(this byte[] bytes, byte marker, byte[] replacement)
    {
        var at = Array.IndexOf(bytes, marker);
        return [.. bytes[..at], .. replacement, .. bytes[(at + 1)..]];
    }
}
