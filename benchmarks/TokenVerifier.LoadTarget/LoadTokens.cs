using TokenVerifier.Testing;

namespace TokenVerifier.LoadTarget;

/// <summary>The tokens wrk sends: Cognito-shaped access tokens of about 1 KB, one user each, the same shape as the BenchmarkDotNet token.</summary>
internal static class LoadTokens
{
    public static LocalTokenOptions Options(int index)
    {
        var options = new LocalTokenOptions
        {
            Username = $"load-user-{index:D4}",
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
