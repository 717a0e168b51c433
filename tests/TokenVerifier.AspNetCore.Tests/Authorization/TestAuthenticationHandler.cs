using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TokenVerifier.AspNetCore.Tests.Authorization;

/// <summary>
/// Stands in for the user-pool token handler in authorization tests: builds the principal the real
/// handler would (same claim names, name and role claim types) from X-Test-* headers.
/// </summary>
internal sealed class TestAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Test";
    public const string UserHeader = "X-Test-User";
    public const string GroupsHeader = "X-Test-Groups";
    public const string ScopesHeader = "X-Test-Scopes";
    public const string ExtraGroupsHeader = "X-Test-Extra-Groups";
    public const string TokenUseHeader = "X-Test-Token-Use";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(UserHeader, out var user))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var tokenUse = Request.Headers[TokenUseHeader].ToString() is { Length: > 0 } use ? use : "access";
        var nameType = tokenUse == "id" ? "cognito:username" : "username";
        var identity = new ClaimsIdentity(Scheme.Name, nameType, "cognito:groups");
        identity.AddClaim(new Claim(nameType, user.ToString()));
        identity.AddClaim(new Claim("token_use", tokenUse));
        identity.AddClaim(new Claim(tokenUse == "id" ? "aud" : "client_id", "test-client"));
        foreach (var group in Split(GroupsHeader, ','))
        {
            identity.AddClaim(new Claim("cognito:groups", group));
        }

        foreach (var scope in Split(ScopesHeader, ' '))
        {
            identity.AddClaim(new Claim("scope", scope));
        }

        var principal = new ClaimsPrincipal(identity);
        var extraGroups = Split(ExtraGroupsHeader, ',');
        if (extraGroups.Length > 0)
        {
            principal.AddIdentity(new ClaimsIdentity(
                extraGroups.Select(group => new Claim("cognito:groups", group)),
                authenticationType: "Extra"));
        }

        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name)));
    }

    private string[] Split(string header, char separator) =>
        Request.Headers[header].ToString().Split(separator, StringSplitOptions.RemoveEmptyEntries);
}
