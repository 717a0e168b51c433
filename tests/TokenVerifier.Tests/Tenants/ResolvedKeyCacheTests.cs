using Microsoft.Extensions.Time.Testing;
using TokenVerifier.Keys;
using TokenVerifier.Testing;
using TokenVerifier.Tests.Network;
using TokenVerifier.Tests.Validation;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Tenants;

/// <summary>
/// The key caches of resolved pools: held in the registry while the answer that approved the pool is kept, given back
/// when it is evicted, expires or its validator is disposed, so many tenants coming and going leave a bounded registry.
/// Real keys, a counted JWKS endpoint per pool.
/// </summary>
public sealed class ResolvedKeyCacheTests : IDisposable
{
    private const int TenantCount = 6;

    // One real key signs for every pool (each under its own kid): generating seven per test is what would cost time here.
    private static readonly System.Security.Cryptography.RSA SharedKey = System.Security.Cryptography.RSA.Create(2048);
    private readonly FakeTimeProvider _time = new(TestPool.Start);
    private readonly LocalUserPool _configured;
    private readonly LocalUserPool[] _tenants;
    private readonly HttpClient _client;
    private readonly SigningKeyCacheRegistry _registry;
    private readonly TenantResolver _resolver = new();
    private readonly UserPoolValidationOptions _options;
    private UserPoolTokenValidator? _validator;

    public ResolvedKeyCacheTests()
    {
        _configured = new LocalUserPool("us-east-1_Configured1", SharedKey, "configured-key", timeProvider: _time);
        _tenants = [.. Enumerable.Range(0, TenantCount).Select(i => new LocalUserPool($"eu-west-1_Tenant{i}", SharedKey, $"tenant-key-{i}", timeProvider: _time))];
        _client = new HttpClient(new PathRouter(_tenants.Append(_configured).Select(p => (p.JwksUri, (HttpMessageHandler)p.CreateJwksHandler()))));
        _registry = new SigningKeyCacheRegistry(() => _client, _time);
        _options = new UserPoolValidationOptions { UserPoolId = _configured.UserPoolId }.UsePoolResolver(_resolver);
        _options.ClientIds.Add(_configured.DefaultClientId);
        foreach (var tenant in _tenants)
        {
            _resolver.Approve(new UserPoolOptions { UserPoolId = tenant.UserPoolId, ClientIds = [tenant.DefaultClientId] });
        }
    }

    private UserPoolTokenValidator Validator => _validator ??= new UserPoolTokenValidator(_options, _registry, _time);

    private LocalUserPool Tenant => _tenants[0];

    public void Dispose()
    {
        _validator?.Dispose();
        _registry.Dispose();
        _client.Dispose();
        _configured.Dispose();
        foreach (var tenant in _tenants)
        {
            tenant.Dispose();
        }
    }

    [Fact]
    public async Task RegistryHoldsNoMoreResolvedKeyCachesThanTheAnswerCacheAndAnEvictedPoolFetchesAgain()
    {
        _options.ResolvedPoolCacheSize = 2;
        Assert.True((await Validator.ValidateAsync(_configured.MintAccessToken())).IsValid);
        foreach (var tenant in _tenants)
        {
            var result = await Validator.ValidateAsync(tenant.MintAccessToken());
            Assert.True(result.IsValid, result.FailureMessage);
            Assert.InRange(_registry.Caches.Count, 2, 1 + _options.ResolvedPoolCacheSize);
        }

        Assert.All(_tenants, t => Assert.Equal(1, t.JwksRequestCount));
        var held = _registry.Caches.Select(c => c.JwksUri).ToHashSet();
        Assert.Equal(held.Count - 1, Validator.GetResolvedKeyCaches().Count);
        Assert.Contains(_configured.JwksUri, held);

        // A pool whose answer was evicted is asked about again and its keys fetched again; one still held fetches nothing.
        var evicted = _tenants.First(t => !held.Contains(t.JwksUri));
        var kept = _tenants.First(t => held.Contains(t.JwksUri));
        Assert.True((await Validator.ValidateAsync(kept.MintAccessToken())).IsValid);
        Assert.True((await Validator.ValidateAsync(evicted.MintAccessToken())).IsValid);

        Assert.Equal(1, kept.JwksRequestCount);
        Assert.Equal(2, evicted.JwksRequestCount);
        Assert.InRange(_registry.Caches.Count, 2, 1 + _options.ResolvedPoolCacheSize);
    }

    [Fact]
    public async Task ExpiredApprovalIsLetGoOfWhenListedAndTheRenewedPoolFetchesAgain()
    {
        Assert.True((await Validator.ValidateAsync(Tenant.MintAccessToken())).IsValid);
        Assert.Equal([Tenant.JwksUri], Validator.GetResolvedKeyCaches().Select(c => c.JwksUri));

        _time.Advance(_options.ResolvedPoolLifetime);

        Assert.Empty(Validator.GetResolvedKeyCaches());
        Assert.DoesNotContain(_registry.Caches, c => c.JwksUri == Tenant.JwksUri);
        Assert.True((await Validator.ValidateAsync(Tenant.MintAccessToken())).IsValid);
        Assert.Equal(2, _resolver.Calls);
        Assert.Equal(2, Tenant.JwksRequestCount);
    }

    [Fact]
    public async Task ApprovalRenewedAtExpiryByATokenKeepsItsKeyCacheAndFetchesNothing()
    {
        Assert.True((await Validator.ValidateAsync(Tenant.MintAccessToken())).IsValid);
        var before = Assert.Single(Validator.GetResolvedKeyCaches());

        _time.Advance(_options.ResolvedPoolLifetime);
        var result = await Validator.ValidateAsync(Tenant.MintAccessToken());

        Assert.True(result.IsValid, result.FailureMessage);
        Assert.Equal(2, _resolver.Calls);
        Assert.Equal(1, Tenant.JwksRequestCount);
        Assert.Same(before, Assert.Single(Validator.GetResolvedKeyCaches()));
        Assert.Contains(before, _registry.Caches);
    }

    [Fact]
    public async Task ApprovalWithdrawnAtExpiryLetsGoOfItsKeyCache()
    {
        Assert.True((await Validator.ValidateAsync(Tenant.MintAccessToken())).IsValid);
        _resolver.Remove(Tenant.UserPoolId);

        _time.Advance(_options.ResolvedPoolLifetime);
        var result = await Validator.ValidateAsync(Tenant.MintAccessToken());

        Assert.Equal(TokenFailure.UnknownIssuer, result.Failure);
        Assert.Empty(Validator.GetResolvedKeyCaches());
        Assert.DoesNotContain(_registry.Caches, c => c.JwksUri == Tenant.JwksUri);
    }

    [Fact]
    public async Task DisposedValidatorGivesBackResolvedAndConfiguredKeyCaches()
    {
        Assert.True((await Validator.ValidateAsync(_configured.MintAccessToken())).IsValid);
        Assert.True((await Validator.ValidateAsync(Tenant.MintAccessToken())).IsValid);
        Assert.Equal(2, _registry.Caches.Count);

        Validator.Dispose();

        // Its configured pool's cache is held by count as well (a reload that removes a pool lets it go): none is left.
        Assert.Empty(_registry.Caches);
    }

    [Fact]
    public async Task ApprovalAnsweredAfterItsValidatorWasDisposedIsGivenBackToo()
    {
        var answer = new TaskCompletionSource<UserPoolOptions?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _resolver.Override = (_, _) => new(answer.Task);
        var pending = Validator.ValidateAsync(Tenant.MintAccessToken()).AsTask();

        Validator.Dispose();
        answer.SetResult(new UserPoolOptions { UserPoolId = Tenant.UserPoolId, ClientIds = [Tenant.DefaultClientId] });
        await pending.WaitAsync(TimeSpan.FromSeconds(10));

        // The answer is given back right after it is published, on the resolver's side: wait for it, bounded in real time.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Validator.ResolvedPoolCount > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(2);
        }

        Assert.Equal(0, Validator.ResolvedPoolCount);
        Assert.Empty(_registry.Caches);
    }

    [Fact]
    public async Task KeyCacheOfAPoolTwoValidatorsResolvedStaysUntilBothLetGo()
    {
        using var second = new UserPoolTokenValidator(_options, _registry, _time);
        Assert.True((await Validator.ValidateAsync(Tenant.MintAccessToken())).IsValid);
        Assert.True((await second.ValidateAsync(Tenant.MintAccessToken())).IsValid);
        Assert.Same(Assert.Single(Validator.GetResolvedKeyCaches()), Assert.Single(second.GetResolvedKeyCaches()));
        Assert.Equal(1, Tenant.JwksRequestCount);

        Validator.Dispose();
        Assert.Contains(_registry.Caches, c => c.JwksUri == Tenant.JwksUri);

        second.Dispose();
        Assert.DoesNotContain(_registry.Caches, c => c.JwksUri == Tenant.JwksUri);
    }

    [Fact]
    public async Task ResolvedPoolThatIsAlsoConfiguredElsewhereKeepsItsCacheWhenLetGoOf()
    {
        var configuredTenant = new UserPoolValidationOptions { UserPoolId = Tenant.UserPoolId };
        configuredTenant.ClientIds.Add(Tenant.DefaultClientId);
        using var other = new UserPoolTokenValidator(configuredTenant, _registry, _time);
        Assert.True((await Validator.ValidateAsync(Tenant.MintAccessToken())).IsValid);

        Validator.Dispose();

        Assert.Same(other.KeyCaches[0], Assert.Single(_registry.Caches, c => c.JwksUri == Tenant.JwksUri));
    }

    [Fact]
    public async Task RefusedPoolGetsNoKeyCache()
    {
        _resolver.Remove(Tenant.UserPoolId);

        var result = await Validator.ValidateAsync(Tenant.MintAccessToken());

        Assert.Equal(TokenFailure.UnknownIssuer, result.Failure);
        Assert.Empty(Validator.GetResolvedKeyCaches());
        Assert.Equal([_configured.JwksUri], _registry.Caches.Select(c => c.JwksUri));
        Assert.Equal(0, Tenant.JwksRequestCount);
    }

    [Fact]
    public async Task FullAnswerCacheIsTrimmedByAnEighthSoNewPoolsDoNotScanItEachTime()
    {
        // Refusals: no keys needed. Past 16 answers, one pass removes three (down to 14, the new question included);
        // the next two new pools then find room without a pass.
        _options.ResolvedPoolCacheSize = 16;
        var poolIds = Enumerable.Range(0, 19).Select(i => $"eu-west-1_Junk{i}").ToArray();
        var junk = Tenant;
        _resolver.Remove(Tenant.UserPoolId);
        var counts = new List<int>();
        foreach (var poolId in poolIds)
        {
            var token = LocalUserPool.TamperPayload(junk.MintAccessToken(), "iss", System.Text.Json.JsonSerializer.Serialize($"https://cognito-idp.eu-west-1.amazonaws.com/{poolId}"));
            Assert.Equal(TokenFailure.UnknownIssuer, (await Validator.ValidateAsync(token)).Failure);
            counts.Add(Validator.ResolvedPoolCount);
        }

        Assert.Equal([.. Enumerable.Range(1, 16), 14, 15, 16], counts);
    }
}
