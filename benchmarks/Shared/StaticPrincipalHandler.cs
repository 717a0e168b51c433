using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TokenVerifier.Benchmarks;

/// <summary>
/// Accepts every request with one prebuilt principal and looks at nothing: what ASP.NET Core's authentication and
/// authorization middleware cost by themselves, the floor under any bearer handler.
/// </summary>
internal sealed class StaticPrincipalHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Static";

    private static readonly AuthenticationTicket Ticket = new(
        new ClaimsPrincipal(new ClaimsIdentity([new Claim("username", "load-user-0000")], SchemeName, "username", "cognito:groups")),
        SchemeName);

    protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthenticateResult.Success(Ticket));
}
