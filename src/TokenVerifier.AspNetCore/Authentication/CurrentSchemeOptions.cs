using Microsoft.Extensions.Options;

namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>
/// The options the handler reads: those of the scheme's configuration in force, never newer than its validator and
/// never a refused reload's (the standard monitor would throw from every request after an invalid reload).
/// </summary>
internal sealed class CurrentSchemeOptions(UserPoolValidators validators, IOptionsMonitor<UserPoolAuthenticationOptions> inner) : IOptionsMonitor<UserPoolAuthenticationOptions>
{
    public UserPoolAuthenticationOptions CurrentValue => Get(Options.DefaultName);

    public UserPoolAuthenticationOptions Get(string? name) => validators.CurrentOptionsOf(name ?? Options.DefaultName);

    public IDisposable? OnChange(Action<UserPoolAuthenticationOptions, string?> listener) => inner.OnChange(listener);
}
