using Microsoft.Extensions.Configuration;

namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>
/// The configuration section a scheme is bound from, registered by the overloads that bind one, so the scheme follows
/// the section's reloads. Not an <c>IOptionsChangeTokenSource</c>: <c>OptionsMonitor</c> would rebuild the options on a
/// reload and throw from every later read if they were invalid, where the last good configuration must stay.
/// </summary>
internal sealed record SchemeReloadSource(string Scheme, IConfiguration Section);
