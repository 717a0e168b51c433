using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using TokenVerifier.Keys;
using TokenVerifier.Revocation;
using TokenVerifier.Testing;
using TokenVerifier.Tests.Network;
using TokenVerifier.Tests.Validation;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Security;

/// <summary>
/// Keys are costly to make, so the corpus shares one pool, one attacker key and one weak key; each case gets its own
/// validator, key cache and recording network, so no case sees another's fetches.
/// </summary>
public sealed class CorpusFixture : IDisposable
{
    public CorpusFixture()
    {
        T = new TestPool();
        Valid = T.Pool.MintAccessToken();
    }

    internal TestPool T { get; }

    internal LocalUserPool Pool => T.Pool;

    /// <summary>A valid access token, the starting point of most cases.</summary>
    internal string Valid { get; }

    internal RSA Attacker { get; } = RSA.Create(2048);

    internal RSA Weak { get; } = RSA.Create(1024);

    internal string Kid => Pool.CurrentKeyId;

    internal long Now => T.Time.GetUtcNow().ToUnixTimeSeconds();

    internal string Header(string alg = "RS256", string? extra = null) =>
        $"{{\"kid\":\"{Kid}\",\"alg\":\"{alg}\"{(extra is null ? "" : "," + extra)}}}";

    internal string Payload(params (string Name, string? Json)[] overrides) => RawTokens.AccessPayload(T, overrides);

    internal string Signed(string header, string payload) => Pool.SignRaw(header, payload);

    /// <summary>A correctly signed access token whose claims differ from the baseline by <paramref name="overrides"/>.</summary>
    internal string WithClaims(params (string Name, string? Json)[] overrides) => Signed(Header(), Payload(overrides));

    /// <summary>A correctly signed ID token (token_use id, aud instead of client_id) with the given aud JSON.</summary>
    internal string IdTokenWithAud(string audJson) =>
        WithClaims(("token_use", "\"id\""), ("client_id", null), ("aud", audJson));

    /// <summary>An in-memory store in which <paramref name="revoke"/> has been applied.</summary>
    internal IRevocationStore StoreWith(Func<InMemoryRevocationStore, ValueTask> revoke)
    {
        var store = new InMemoryRevocationStore(timeProvider: T.Time);
        revoke(store).AsTask().GetAwaiter().GetResult();
        return store;
    }

    internal static string Seconds(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    internal async Task<(UserPoolValidationResult Result, FaultHandler Network)> ValidateAsync(CorpusCase c, ILoggerFactory? loggerFactory = null)
    {
        var network = new FaultHandler(Pool.CreateJwksHandler(), T.Time);
        if (c.KeySet is { } rewrite)
        {
            network.RewriteKeySet = json => rewrite(this, json);
        }

        using var client = new HttpClient(network);
        var options = new UserPoolValidationOptions { UserPoolId = Pool.UserPoolId, ClientIds = [Pool.DefaultClientId] };
        c.Configure?.Invoke(options);
        var validator = new UserPoolTokenValidator(options, new SigningKeyCacheRegistry(() => client, T.Time, loggerFactory), T.Time, loggerFactory?.CreateLogger<UserPoolTokenValidator>(), c.Revocation?.Invoke(this));
        return (await validator.ValidateAsync(c.Token(this)), network);
    }

    public void Dispose()
    {
        T.Dispose();
        Attacker.Dispose();
        Weak.Dispose();
    }
}
