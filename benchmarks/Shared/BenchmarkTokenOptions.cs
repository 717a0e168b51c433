using TokenVerifier.Testing;

namespace TokenVerifier.Benchmarks;

/// <summary>
/// The shape of every benchmarked token, shared by the BenchmarkDotNet suite and the HTTP load target: a Cognito access
/// token of about 1.2 KB with three groups and four scopes, valid for a day.
/// </summary>
internal static class BenchmarkTokenOptions
{
    public static LocalTokenOptions Create(string username)
    {
        var options = new LocalTokenOptions
        {
            Username = username,
            Lifetime = TimeSpan.FromHours(24),
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
}
