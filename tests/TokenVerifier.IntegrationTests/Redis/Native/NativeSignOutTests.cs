using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TokenVerifier.Revocation;
using TokenVerifier.Testing;

namespace TokenVerifier.IntegrationTests.Redis.Native;

/// <summary>The sample's sign-out over the Redis-native store, configured only through <c>UserPool:Revocation:*</c>.</summary>
[Collection(SharedRedis.Name)]
public sealed class NativeSignOutTests(RedisFixture fixture) : IDisposable
{
    private static readonly Uri Me = new("/me", UriKind.Relative);
    private static readonly Uri SignOut = new("/auth/signout", UriKind.Relative);
    private readonly LocalUserPool _pool = new(SampleInstance.PoolId);

    public void Dispose() => _pool.Dispose();

    [Fact]
    public async Task A_sign_out_that_fewer_than_MinReplicas_replicas_confirm_answers_503_and_one_without_MinReplicas_204()
    {
        var prefix = $"tv-signout-{Guid.NewGuid():N}:";
        using var strict = new SampleInstance(_pool, fixture.Server, ("Sample:RedisNativeRevocation", "true"), ("UserPool:Revocation:KeyPrefix", prefix), ("UserPool:Revocation:MinReplicas", "1"), ("UserPool:Revocation:ReplicaTimeout", "00:00:00.2"));
        Assert.IsType<RedisRevocationStore>(strict.Services.GetRequiredService<IRevocationStore>());
        var signIn = _pool.SignIn(new LocalTokenOptions { Username = "strict" });
        using (var client = strict.ClientWith(signIn.AccessToken))
        {
            using var response = await client.PostAsync(SignOut, null);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);

            // Refused because no replica holds it, yet written on the primary: the token is refused there all the same.
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(Me)).StatusCode);
        }

        signIn = _pool.SignIn(new LocalTokenOptions { Username = "single" });

        using var single = new SampleInstance(_pool, fixture.Server, ("Sample:RedisNativeRevocation", "true"), ("UserPool:Revocation:KeyPrefix", prefix));
        using (var client = single.ClientWith(signIn.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync(SignOut, null)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(Me)).StatusCode);
        }
    }
}
