using System.Collections.Frozen;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using TokenVerifier.AspNetCore.Authentication;

namespace TokenVerifier.AspNetCore.Authorization;

/// <summary>
/// The named policies in force, following reloads of the sections they are bound from. A reload that would fail the
/// start is refused: logged, reported by the health check, and the last good policies stay.
/// </summary>
internal sealed class CurrentPolicies : IDisposable
{
    private const string What = "the authorization policies";

    private readonly IOptionsFactory<UserPoolPolicyOptions> _factory;
    private readonly RejectedReloads _rejected;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly IConfiguration[] _sections;
    private readonly IDisposable? _subscription;
    private readonly Lock _reloadGate = new();
    private FrozenDictionary<string, AuthorizationPolicy> _policies;
    private string _fingerprint;

    public CurrentPolicies(IOptions<UserPoolPolicyOptions> options, IOptionsFactory<UserPoolPolicyOptions> factory, IEnumerable<PolicyReloadSource> sources, RejectedReloads rejected, TimeProvider time, ILoggerFactory? loggerFactory = null)
    {
        _factory = factory;
        _rejected = rejected;
        _logger = (ILogger?)loggerFactory?.CreateLogger<CurrentPolicies>() ?? NullLogger.Instance;
        _time = time;
        _sections = [.. sources.Select(s => s.Section).Distinct()];

        // The start's options, validated as the start validated them.
        _policies = Build(options.Value);
        StartNames = _policies.Keys.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        _fingerprint = SectionFingerprint.Of(_sections);
        if (_sections.Length > 0)
        {
            _subscription = ChangeToken.OnChange(
                () => _sections.Length == 1 ? _sections[0].GetReloadToken() : new CompositeChangeToken([.. _sections.Select(s => s.GetReloadToken())]),
                Reload);
        }
    }

    /// <summary>The names defined at start: the authorization options know them, so a name removed since must be answered here.</summary>
    public FrozenSet<string> StartNames { get; }

    /// <summary>The policy named <paramref name="name"/> if it is one of ours (now or at start); null when a reload removed it.</summary>
    public bool TryGet(string name, out AuthorizationPolicy? policy)
    {
        if (Volatile.Read(ref _policies).TryGetValue(name, out policy))
        {
            return true;
        }

        return StartNames.Contains(name);
    }

    public void Dispose() => _subscription?.Dispose();

    private static FrozenDictionary<string, AuthorizationPolicy> Build(UserPoolPolicyOptions options) =>
        options.Policies.ToFrozenDictionary(p => p.Key, p => UserPoolPolicyAuthorizationSetup.Build(p.Value), StringComparer.OrdinalIgnoreCase);

    // Runs on the thread that signalled the reload: it must not throw, or the exception would reach that caller.
    private void Reload()
    {
        lock (_reloadGate)
        {
            var fingerprint = SectionFingerprint.Of(_sections);
            if (string.Equals(fingerprint, _fingerprint, StringComparison.Ordinal))
            {
                return;
            }

            _fingerprint = fingerprint;
            FrozenDictionary<string, AuthorizationPolicy> policies;
            try
            {
                policies = Build(_factory.Create(Options.DefaultName));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                IReadOnlyList<string> errors = e is OptionsValidationException invalid ? [.. invalid.Failures] : [e.Message];
                _rejected.Rejected(What, errors, _time.GetUtcNow());
                ConfigurationReloadLog.PoliciesReloadRejected(_logger, string.Join(" ", errors));
                return;
            }

            Volatile.Write(ref _policies, policies);
            _rejected.Applied(What);
            ConfigurationReloadLog.PoliciesReloaded(_logger, policies.Count);
        }
    }
}
