using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TokenVerifier.Revocation;

namespace TokenVerifier.AspNetCore.Revocation;

/// <summary>
/// Stops the start when configuration names a Redis server (<c>UserPool:Revocation:Redis</c>) but the application never
/// registered a Redis store: the Redis stores live in the TokenVerifier.Redis package, and quietly keeping revocations in
/// memory would let every other instance accept a token revoked on this one.
/// </summary>
internal sealed class SharedStoreRequirement
{
    public const string Message =
        "UserPool:Revocation:Redis is set, but revocations are held in memory: add the TokenVerifier.Redis package and call "
        + "AddRedisRevocation(...) or AddRedisNativeRevocation(...) on the builder AddUserPoolAuth returns.";

    public static void Register(OptionsBuilder<SharedStoreRequirement> options) =>
        options.Validate<IRevocationStore>((_, store) => store is not InMemoryRevocationStore, Message).ValidateOnStart();
}
