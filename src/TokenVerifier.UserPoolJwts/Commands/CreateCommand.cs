using System.CommandLine;
using System.CommandLine.Parsing;
using TokenVerifier.Testing;

namespace TokenVerifier.UserPoolJwts.Commands;

/// <summary>
/// <c>create</c>: mints an access or ID token with the project's signing key and writes the token alone to standard
/// output, so that <c>TOKEN=$(user-pool-jwts create ...)</c> works.
/// </summary>
internal static class CreateCommand
{
    private static readonly Expiry DefaultExpiry = new(TimeSpan.FromHours(1), null);

    public static Command Create(ToolContext context)
    {
        Option<string> project = UserPoolJwtsCli.ProjectOption();
        Option<string> user = new("--user", "-u")
        {
            Description = "The user name (username, or cognito:username in an ID token).",
            HelpName = "name",
            DefaultValueFactory = _ => Environment.UserName is { Length: > 0 } name ? name : "alice",
        };
        Option<string[]> groups = new("--group", "-g") { Description = "A cognito:groups entry; repeat for more.", HelpName = "group" };
        Option<string[]> scopes = new("--scope", "-s") { Description = "A scope of the access token; repeat for more (default aws.cognito.signin.user.admin).", HelpName = "scope" };
        Option<string> tokenUse = new("--token-use") { Description = "access or id.", DefaultValueFactory = _ => "access" };
        tokenUse.AcceptOnlyFromAmong("access", "id");
        Option<string> client = new("--client", "-c") { Description = "The app client id (default: the one init configured).", HelpName = "id" };
        Option<Expiry?> expires = new("--expires", "-e")
        {
            Description = "When the token expires: " + Expiry.Syntax + ". Default 1h.",
            HelpName = "when",
            CustomParser = ParseExpiry,
        };
        Option<string[]> claims = new("--claim")
        {
            Description = "An extra claim, name=value (a string; repeat a name for an array); it replaces a default claim of that name.",
            HelpName = "name=value",
        };
        claims.Validators.Add(ValidateClaims);

        var command = new Command("create", "Mint a token signed with the project's key and print it (the token alone) to standard output.")
        {
            project, user, groups, scopes, tokenUse, client, expires, claims,
        };
        UserPoolJwtsCli.SetGuardedAction(command, (parse, output) =>
        {
            var (_, _, secrets) = context.OpenInitialized(parse.GetValue(project));
            using LocalUserPool pool = secrets.CreatePool(context.TimeProvider);
            var options = new LocalTokenOptions
            {
                Username = parse.GetValue(user)!,
                ClientId = parse.GetValue(client),
                Lifetime = (parse.GetValue(expires) ?? DefaultExpiry).LifetimeFrom(context.TimeProvider.GetUtcNow()),
            };
            AddAll(options.Groups, parse.GetValue(groups));
            AddAll(options.Scopes, parse.GetValue(scopes));
            foreach (IGrouping<string, string> claim in (parse.GetValue(claims) ?? []).Select(SplitClaim).ToLookup(c => c.Name, c => c.Value, StringComparer.Ordinal))
            {
                options.AdditionalClaims[claim.Key] = claim.Count() == 1 ? claim.First() : claim.ToArray();
            }

            output.WriteLine(parse.GetValue(tokenUse) == "id" ? pool.MintIdToken(options) : pool.MintAccessToken(options));
            return 0;
        });
        return command;
    }

    private static Expiry? ParseExpiry(ArgumentResult result)
    {
        string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (!Expiry.TryParse(text, out Expiry expiry, out string error))
        {
            result.AddError("--expires: " + error);
        }

        return expiry;
    }

    private static void ValidateClaims(OptionResult result)
    {
        foreach (Token token in result.Tokens)
        {
            int equals = token.Value.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                result.AddError($"--claim '{token.Value}' is not name=value.");
            }
        }
    }

    private static (string Name, string Value) SplitClaim(string claim)
    {
        int equals = claim.IndexOf('=', StringComparison.Ordinal);
        return (claim[..equals], claim[(equals + 1)..]);
    }

    private static void AddAll(IList<string> target, string[]? values)
    {
        foreach (string value in values ?? [])
        {
            target.Add(value);
        }
    }
}
