using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace TokenVerifier.AspNetCore.Authentication;

public sealed partial class UserPoolValidators
{
    // Follows the sections the scheme is bound from. Nothing to follow for a scheme configured in code.
    private void Watch(string scheme, SchemeState state)
    {
        if (_reloading is null)
        {
            return;
        }

        var sections = _reloading.SectionsOf(scheme);
        if (sections.Count == 0)
        {
            return;
        }

        state.Fingerprint = SectionFingerprint.Of(sections);
        state.Subscription = ChangeToken.OnChange(
            () => sections.Count == 1 ? sections[0].GetReloadToken() : new CompositeChangeToken([.. sections.Select(s => s.GetReloadToken())]),
            () => Reload(scheme, state, sections));
    }

    // Runs on the thread that signalled the reload (the file watcher's, or the caller of IConfigurationRoot.Reload): it
    // must not throw, or the exception would reach that caller instead of the log.
    private void Reload(string scheme, SchemeState state, IReadOnlyList<IConfiguration> sections)
    {
        var reloading = _reloading!;
        lock (state.ReloadGate)
        {
            if (_disposed)
            {
                return;
            }

            var fingerprint = SectionFingerprint.Of(sections);
            if (string.Equals(fingerprint, state.Fingerprint, StringComparison.Ordinal))
            {
                return;
            }

            state.Fingerprint = fingerprint;
            var what = $"scheme '{scheme}'";
            SchemeConfiguration next;
            try
            {
                // The factory runs the same binding, post-configuration and validation as the start did.
                var options = reloading.Factory.Create(scheme);
                next = new SchemeConfiguration(options, Create(options));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                IReadOnlyList<string> errors = e is OptionsValidationException invalid ? [.. invalid.Failures] : [e.Message];
                reloading.Rejected.Rejected(what, errors, _time.GetUtcNow());
                ConfigurationReloadLog.SchemeReloadRejected(reloading.Logger, scheme, string.Join(" ", errors));
                return;
            }

            // The new validator holds its key caches before the old one lets go: a pool kept across the reload keeps its keys.
            state.Replace(next).Retire();
            reloading.Rejected.Applied(what);
            var pools = next.Options.Validation.GetAllPools().Count;
            ConfigurationReloadLog.SchemeReloaded(reloading.Logger, scheme, pools);
            SchemeReloading.WarmUp(next.Validator);
        }
    }
}
