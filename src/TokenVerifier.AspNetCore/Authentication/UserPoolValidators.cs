using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenVerifier.Keys;
using TokenVerifier.Revocation;
using TokenVerifier.Validation;

namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>
/// The validator of each user-pool scheme, built once from the scheme's options. Use it to validate tokens that do not
/// arrive in an Authorization header (web sockets, queues) with exactly the rules of the scheme.
/// </summary>
public sealed class UserPoolValidators
{
    private readonly ConcurrentDictionary<string, UserPoolTokenValidator> _validators = new(StringComparer.Ordinal);
    private readonly IOptionsMonitor<UserPoolAuthenticationOptions> _options;
    private readonly SigningKeyCacheRegistry _keyCaches;
    private readonly TimeProvider _time;
    private readonly ILogger<UserPoolTokenValidator> _logger;
    private readonly IRevocationStore? _revocationStore;

    /// <summary>Created by dependency injection.</summary>
    /// <param name="options">The schemes' options.</param>
    /// <param name="keyCaches">The shared key caches.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The validators' logger.</param>
    /// <param name="revocationStore">Where the validators look up revoked tokens; null checks no revocation.</param>
    public UserPoolValidators(IOptionsMonitor<UserPoolAuthenticationOptions> options, SigningKeyCacheRegistry keyCaches, TimeProvider timeProvider, ILogger<UserPoolTokenValidator> logger, IRevocationStore? revocationStore = null)
    {
        _revocationStore = revocationStore;
        _options = options;
        _keyCaches = keyCaches;
        _time = timeProvider;
        _logger = logger;
    }

    /// <summary>The validator of <paramref name="scheme"/>.</summary>
    /// <param name="scheme">A scheme added with <c>AddUserPool</c>.</param>
    public UserPoolTokenValidator Get(string scheme = UserPoolAuthenticationDefaults.AuthenticationScheme) =>
        // A static factory with its state passed in: a lambda capturing this would be allocated on every request.
        _validators.GetOrAdd(scheme, static (name, self) => self.Create(name), this);

    private UserPoolTokenValidator Create(string scheme) =>
        new(_options.Get(scheme).Validation, _keyCaches, _time, _logger, _revocationStore);
}
