using Microsoft.Extensions.Options;

namespace TokenVerifier.AspNetCore.Authorization;

internal sealed class UserPoolPolicyOptionsValidator : IValidateOptions<UserPoolPolicyOptions>
{
    public ValidateOptionsResult Validate(string? name, UserPoolPolicyOptions options)
    {
        var failures = new List<string>(options.UnknownSettings);

        foreach (var (policyName, definition) in options.Policies)
        {
            if (string.IsNullOrWhiteSpace(policyName))
            {
                failures.Add("An authorization policy has an empty name.");
                continue;
            }

            if (definition is null)
            {
                failures.Add($"Authorization policy '{policyName}' has no definition.");
                continue;
            }

            if (definition.Groups.Count == 0 && definition.Scopes.Count == 0 && definition.Caller == UserPoolCaller.Any && definition.RecentSignIn is null)
            {
                failures.Add($"Authorization policy '{policyName}' declares neither Groups nor Scopes (nor Caller or RecentSignIn); give it at least one.");
            }

            if (!Enum.IsDefined(definition.Caller))
            {
                failures.Add($"Authorization policy '{policyName}': Caller must be Any, User or MachineClient.");
            }

            if (definition.RecentSignIn is { } maxAge && maxAge <= TimeSpan.Zero)
            {
                failures.Add($"Authorization policy '{policyName}': RecentSignIn must be a positive time span, such as \"00:05:00\".");
            }

            // A machine client has no sign-in, so this policy would refuse every caller.
            if (definition.Caller == UserPoolCaller.MachineClient && definition.RecentSignIn is not null)
            {
                failures.Add($"Authorization policy '{policyName}' requires a machine client and a recent sign-in, which no caller can satisfy; remove one of them.");
            }

            CheckEntries(failures, policyName, definition.Groups, "Groups", GroupRequirement.Check);
            CheckEntries(failures, policyName, definition.Scopes, "Scopes", ScopeRequirement.Check);
            CheckEntries(failures, policyName, definition.AuthenticationSchemes, "AuthenticationSchemes",
                static scheme => string.IsNullOrWhiteSpace(scheme) ? "is null, empty or whitespace" : null);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckEntries(List<string> failures, string policyName, IList<string> values, string setting, Func<string?, string?> check)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (check(values[i]) is { } problem)
            {
                failures.Add($"Authorization policy '{policyName}': {setting}[{i}] {problem}.");
            }
        }
    }
}
