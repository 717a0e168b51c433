using Microsoft.Extensions.Configuration;

namespace TokenVerifier.AspNetCore.Authorization;

/// <summary>A configuration section policies are bound from (<c>UserPool:Policies</c>): the policies follow its reloads.</summary>
internal sealed record PolicyReloadSource(IConfiguration Section);
