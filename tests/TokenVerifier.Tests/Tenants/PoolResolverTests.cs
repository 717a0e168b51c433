using Microsoft.Extensions.Time.Testing;
using TokenVerifier.Keys;
using TokenVerifier.Testing;
using TokenVerifier.Tests.Network;
using TokenVerifier.Tests.Validation;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Tenants;

/// <summary>
/// One configured pool and one tenant pool the configuration does not list, behind one counted network; the tenant's
/// tokens are accepted only when the resolver approves its pool.
/// </summary>
public sealed class PoolResolverTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(TestPool.Start);
    private readonly LocalUserPool _configured;
    private readonly LocalUserPool _tenant;
    private readonly CountingHandler _network;
    private readonly HttpClient _client;
    private readonly SigningKeyCacheRegistry _registry;
    private readonly TenantResolver _resolver = new();
    private readonly UserPoolValidationOptions _options;
    private UserPoolTokenValidator? _validator;

    public PoolResolverTests()
    {
        _configured = new LocalUserPool("us-east-1_Configured1", timeProvider: _time);
        _tenant = new LocalUserPool("eu-west-1_Tenant1", timeProvider: _time);
        _network = new CountingHandler(new PathRouter([(_configured.JwksUri, _configured.CreateJwksHandler()), (_tenant.JwksUri, _tenant.CreateJwksHandler())]));
        _client = new HttpClient(_network);
        _registry = new SigningKeyCacheRegistry(() => _client, _time);
        _options = new UserPoolValidationOptions { UserPoolId = _configured.UserPoolId }.UsePoolResolver(_resolver);
        _options.ClientIds.Add(_configured.DefaultClientId);
    }

    private UserPoolTokenValidator Validator => _validator ??= new UserPoolTokenValidator(_options, _registry, _time);

    private UserPoolOptions TenantSettings => new() { UserPoolId = _tenant.UserPoolId, ClientIds = [_tenant.DefaultClientId] };

    public void Dispose()
    {
        _validator?.Dispose();
        _registry.Dispose();
        _client.Dispose();
        _configured.Dispose();
        _tenant.Dispose();
    }

    [Fact]
    public async Task RefusedPoolIsAnUnknownIssuerAndNeverCausesAKeyFetch()
    {
        var result = await Validator.ValidateAsync(_tenant.MintAccessToken());

        Assert.Equal(TokenFailure.UnknownIssuer, result.Failure);
        Assert.Equal([_tenant.UserPoolId], _resolver.Asked);
        Assert.Equal(0, _network.Count);
    }

    [Fact]
    public async Task ApprovedPoolIsAcceptedWithItsPoolId()
    {
        _resolver.Approve(TenantSettings);

        var result = await Validator.ValidateAsync(_tenant.MintAccessToken());

        Assert.True(result.IsValid, result.FailureMessage);
        Assert.Equal(_tenant.UserPoolId, result.UserPoolId);
        Assert.Equal(1, _network.Count);
    }

    [Fact]
    public async Task BothIssuerFormsOfAnApprovedPoolAreAcceptedWithOneQuestion()
    {
        _resolver.Approve(TenantSettings);
        using var updatedForm = new LocalUserPool(_tenant.UserPoolId, issuer: $"https://issuer-cognito-idp.eu-west-1.amazonaws.com/{_tenant.UserPoolId}", timeProvider: _time);
        var original = await Validator.ValidateAsync(_tenant.MintAccessToken());

        // Signed by another key under the same pool id: the issuer form is accepted, the signature is what refuses it.
        var updated = await Validator.ValidateAsync(updatedForm.MintAccessToken(new LocalTokenOptions { ClientId = _tenant.DefaultClientId }));

        Assert.True(original.IsValid, original.FailureMessage);
        Assert.Contains(updated.Failure, new[] { TokenFailure.KeyNotFound, TokenFailure.InvalidSignature });
        Assert.Equal(1, _resolver.Calls);
    }

    [Fact]
    public async Task ConfiguredPoolIsNeverAskedAbout()
    {
        var result = await Validator.ValidateAsync(_configured.MintAccessToken());

        Assert.True(result.IsValid, result.FailureMessage);
        Assert.Equal(0, _resolver.Calls);
    }

    [Fact]
    public async Task RefusalIsKeptForItsLifetimeThenAskedAgain()
    {
        var token = _tenant.MintAccessToken();
        await Validator.ValidateAsync(token);
        _time.Advance(_options.RefusedIssuerLifetime - TimeSpan.FromSeconds(1));
        await Validator.ValidateAsync(token);
        Assert.Equal(1, _resolver.Calls);

        _resolver.Approve(TenantSettings);
        _time.Advance(TimeSpan.FromSeconds(1));
        var result = await Validator.ValidateAsync(token);

        Assert.Equal(2, _resolver.Calls);
        Assert.True(result.IsValid, result.FailureMessage);
    }

    [Fact]
    public async Task ApprovalIsKeptForItsLifetimeAndItsTokensAreRefusedOnceWithdrawn()
    {
        _resolver.Approve(TenantSettings);
        var token = _tenant.MintAccessToken(new LocalTokenOptions { Lifetime = TimeSpan.FromHours(2) });
        Assert.True((await Validator.ValidateAsync(token)).IsValid);
        _resolver.Remove(_tenant.UserPoolId);
        _time.Advance(_options.ResolvedPoolLifetime - TimeSpan.FromSeconds(1));
        Assert.True((await Validator.ValidateAsync(token)).IsValid);
        Assert.Equal(1, _resolver.Calls);

        _time.Advance(TimeSpan.FromSeconds(1));
        var result = await Validator.ValidateAsync(token);

        // The same token string, accepted a moment ago: a resolved pool's tokens are not served from the validated-token cache.
        Assert.Equal(TokenFailure.UnknownIssuer, result.Failure);
        Assert.Equal(2, _resolver.Calls);
    }

    [Theory]
    [InlineData("https://cognito-idp.us-east-1.amazonaws.com/eu-west-1_Tenant1")]
    [InlineData("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Tenant1/")]
    [InlineData("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Tenant1\n")]
    [InlineData("http://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Tenant1")]
    [InlineData("https://cognito-idp.eu-west-1.amazonaws.com.evil.example/eu-west-1_Tenant1")]
    [InlineData("https://evil.example/eu-west-1_Tenant1")]
    [InlineData("https://COGNITO-IDP.eu-west-1.amazonaws.com/eu-west-1_Tenant1")]
    [InlineData("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Tenant1?x=1")]
    [InlineData("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ten%41nt1")]
    [InlineData("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_../us-east-1_Configured1")]
    [InlineData("https://user@cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Tenant1")]
    [InlineData("https://cognito-idp.eu-west-1.amazonaws.com:443/eu-west-1_Tenant1")]
    public async Task IssuerNotOfCognitosExactFormIsNeverAskedAbout(string issuer)
    {
        _resolver.Approve(TenantSettings);
        var token = LocalUserPool.TamperPayload(_tenant.MintAccessToken(), "iss", System.Text.Json.JsonSerializer.Serialize(issuer));

        var result = await Validator.ValidateAsync(token);

        Assert.Equal(TokenFailure.UnknownIssuer, result.Failure);
        Assert.Equal(0, _resolver.Calls);
        Assert.Equal(0, _network.Count);
    }

    [Fact]
    public async Task ResolvedPoolIsAsStrictAsAConfiguredOne()
    {
        _resolver.Approve(TenantSettings);

        var payload = System.Buffers.Text.Base64Url.DecodeFromChars(_tenant.MintAccessToken().Split('.')[1]);
        var unknownKid = await Validator.ValidateAsync(_tenant.SignRaw("{\"kid\":\"unknown-kid\",\"alg\":\"RS256\"}"u8, payload));
        var unpublished = await Validator.ValidateAsync(_tenant.SignWithUnpublishedKey());
        var wrongClient = await Validator.ValidateAsync(_tenant.MintAccessToken(new LocalTokenOptions { ClientId = "someotherclient" }));
        var idToken = await Validator.ValidateAsync(_tenant.MintIdToken());
        var expired = await Validator.ValidateAsync(_tenant.MintExpiredAccessToken(TimeSpan.FromSeconds(1)));
        var tampered = await Validator.ValidateAsync(LocalUserPool.TamperSignature(_tenant.MintAccessToken()));

        Assert.Equal(TokenFailure.InvalidClient, wrongClient.Failure);
        Assert.Equal(TokenFailure.InvalidTokenUse, idToken.Failure);
        Assert.Equal(TokenFailure.Expired, expired.Failure);
        Assert.Equal(TokenFailure.KeyNotFound, unknownKid.Failure);
        Assert.Equal(TokenFailure.InvalidSignature, unpublished.Failure);
        Assert.Equal(TokenFailure.InvalidSignature, tampered.Failure);
    }

    [Fact]
    public async Task ResolverExceptionIsKeysUnavailableAndIsNotKept()
    {
        _resolver.Override = (_, _) => throw new InvalidOperationException("tenants table unreachable");
        var token = _tenant.MintAccessToken();

        var first = await Validator.ValidateAsync(token);
        _resolver.Override = null;
        _resolver.Approve(TenantSettings);
        var second = await Validator.ValidateAsync(token);

        Assert.Equal(TokenFailure.KeysUnavailable, first.Failure);
        Assert.True(second.IsValid, second.FailureMessage);
        Assert.Equal(2, _resolver.Calls);
    }

    [Fact]
    public async Task ResolverThatDoesNotAnswerInTimeIsKeysUnavailable()
    {
        var never = new TaskCompletionSource<UserPoolOptions?>();
        _resolver.Override = (_, _) => new(never.Task);

        var pending = Validator.ValidateAsync(_tenant.MintAccessToken()).AsTask();
        Assert.False(pending.IsCompleted);
        _time.Advance(_options.PoolResolverTimeout);
        var result = await pending.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(TokenFailure.KeysUnavailable, result.Failure);
        Assert.Equal(0, _network.Count);
    }

    [Theory]
    [InlineData("eu-west-1_Another1", null)]
    [InlineData("eu-west-1_Tenant1", "https://evil.example/eu-west-1_Tenant1")]
    [InlineData("eu-west-1_Tenant1", "")]
    public async Task ResolverAnswerForAnotherPoolOrIssuerIsRefusedWithoutAFetch(string poolId, string? issuer)
    {
        _resolver.Override = (_, _) => new(new UserPoolOptions
        {
            UserPoolId = poolId,
            Issuer = issuer,
            ClientIds = [_tenant.DefaultClientId],
            AllowAnyClient = issuer == "",
        });

        var result = await Validator.ValidateAsync(_tenant.MintAccessToken());

        Assert.Equal(TokenFailure.KeysUnavailable, result.Failure);
        Assert.Equal(0, _network.Count);
    }

    [Fact]
    public async Task ConcurrentTokensOfOnePoolShareOneQuestion()
    {
        var answer = new TaskCompletionSource<UserPoolOptions?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _resolver.Override = (_, _) => new(answer.Task);

        var first = Validator.ValidateAsync(_tenant.MintAccessToken()).AsTask();
        var second = Validator.ValidateAsync(_tenant.MintAccessToken(new LocalTokenOptions { Username = "bob" })).AsTask();
        answer.SetResult(TenantSettings);
        var results = await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.All(results, r => Assert.True(r.IsValid, r.FailureMessage));
        Assert.Equal(1, _resolver.Calls);
        Assert.Equal(1, _network.Count);
    }

    [Fact]
    public async Task AnswersKeptAreBounded()
    {
        _options.ResolvedPoolCacheSize = 3;
        for (var i = 0; i < 10; i++)
        {
            using var pool = new LocalUserPool($"eu-west-1_Junk{i}", timeProvider: _time);
            await Validator.ValidateAsync(pool.MintAccessToken());
        }

        Assert.Equal(10, _resolver.Calls);
        Assert.InRange(Validator.ResolvedPoolCount, 1, 3);
        Assert.Equal(0, _network.Count);
    }

    [Fact]
    public void WithAResolverTheConfigurationMayListNoPool()
    {
        var options = new UserPoolValidationOptions().UsePoolResolver(_resolver);
        var without = new UserPoolValidationOptions();

        Assert.Empty(options.Validate());
        Assert.NotEmpty(without.Validate());
    }

    [Theory]
    [InlineData(0, 60, 600, 2)]
    [InlineData(10, 0, 600, 2)]
    [InlineData(10, 601, 600, 2)]
    [InlineData(10, 60, 600, 0)]
    public void ResolverSettingsOutOfRangeAreRefused(int size, int refusedSeconds, int approvedSeconds, int timeoutSeconds)
    {
        var options = new UserPoolValidationOptions
        {
            ResolvedPoolCacheSize = size,
            RefusedIssuerLifetime = TimeSpan.FromSeconds(refusedSeconds),
            ResolvedPoolLifetime = TimeSpan.FromSeconds(approvedSeconds),
            PoolResolverTimeout = TimeSpan.FromSeconds(timeoutSeconds),
        }.UsePoolResolver(_resolver);

        Assert.Single(options.Validate());
    }
}
