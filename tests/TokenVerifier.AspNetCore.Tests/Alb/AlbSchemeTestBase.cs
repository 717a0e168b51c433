using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.Revocation;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Alb;

/// <summary>A local pool with a local ALB in front of it, and the helpers the scheme's tests share.</summary>
public abstract class AlbSchemeTestBase : IDisposable
{
    protected AlbSchemeTestBase()
    {
        Pool = new LocalUserPool();
        Alb = new LocalAlb(Pool);
    }

    protected LocalUserPool Pool { get; }

    protected LocalAlb Alb { get; }

    public void Dispose()
    {
        Alb.Dispose();
        Pool.Dispose();
        GC.SuppressFinalize(this);
    }

    protected static string? Failure(HttpResponseMessage response) =>
        response.Headers.TryGetValues(AlbHost.FailureHeader, out var values) ? values.Single() : null;

    protected (string Data, string Access, string Identity) SignIn(string[]? groups = null, string[]? scopes = null)
    {
        var options = new LocalTokenOptions { ClientId = Alb.ClientId };
        foreach (var group in groups ?? [])
        {
            options.Groups.Add(group);
        }

        foreach (var scope in scopes ?? [])
        {
            options.Scopes.Add(scope);
        }

        var signIn = Pool.SignIn(options);
        var data = Alb.MintData(new LocalAlbTokenOptions { Subject = signIn.Subject, Username = signIn.Username, Email = "alice@example.com" });
        return (data, signIn.AccessToken, signIn.Subject);
    }
}
