using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace TokenVerifier.AspNetCore.Tests.Security;

/// <summary>The sample configured for opaque errors: <c>UserPool:IncludeErrorDetails = false</c>.</summary>
public sealed class OpaqueErrorsFactory : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseSetting("UserPool:IncludeErrorDetails", "false");
}
