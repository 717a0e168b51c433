using System.Buffers.Text;
using System.Text;
using TokenVerifier.Testing;

namespace TokenVerifier.Benchmarks;

/// <summary>The one token every row verifies: a Cognito-shaped RS256 access token of about 1 KB, with groups and scopes.</summary>
internal static class BenchmarkToken
{
    public static LocalTokenOptions Options(string username = "benchmark-user")
    {
        var options = new LocalTokenOptions
        {
            Username = username,
            Lifetime = TimeSpan.FromHours(24),
            Email = "benchmark-user@example.com",
        };
        foreach (var group in (string[])["admins", "developers", "eu-west-readers"])
        {
            options.Groups.Add(group);
        }

        foreach (var scope in (string[])["orders/read", "orders/write", "profile/read", "aws.cognito.signin.user.admin"])
        {
            options.Scopes.Add(scope);
        }

        return options;
    }

    /// <summary>The ASCII bytes of <c>header.payload</c> and the decoded signature, for the raw RSA baseline.</summary>
    public static (byte[] SigningInput, byte[] Signature) Split(string token)
    {
        var lastDot = token.LastIndexOf('.');
        return (Encoding.ASCII.GetBytes(token[..lastDot]), Base64Url.DecodeFromChars(token.AsSpan(lastDot + 1)));
    }
}
