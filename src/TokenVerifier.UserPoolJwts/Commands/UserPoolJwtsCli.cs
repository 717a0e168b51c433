using System.CommandLine;
using System.CommandLine.Parsing;

namespace TokenVerifier.UserPoolJwts.Commands;

/// <summary>The <c>user-pool-jwts</c> command line: <c>init</c>, <c>create</c>, <c>key</c> and <c>print</c>.</summary>
internal static class UserPoolJwtsCli
{
    public const string ToolName = "user-pool-jwts";

    /// <summary>Runs one command line; 0 on success, 1 for bad input or a failed command (the reason on <paramref name="error"/>).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, ToolContext? context = null)
    {
        context ??= ToolContext.FromEnvironment();
        var root = new RootCommand(
            "Local development tokens for an API that verifies Amazon Cognito user-pool tokens with TokenVerifier: " +
            "'init' gives the project a signing key in its user secrets and makes the app trust it in Development, " +
            "'create' mints access and ID tokens signed with it.")
        {
            InitCommand.Create(context),
            CreateCommand.Create(context),
            KeyCommand.Create(context),
            PrintCommand.Create(context),
        };
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // Errors and a pointer to help go to the error stream only: standard output of 'create' is a token or nothing.
            foreach (ParseError parseError in parsed.Errors)
            {
                error.WriteLine("error: " + parseError.Message);
            }

            Command command = parsed.CommandResult.Command;
            error.WriteLine($"Run '{(command is RootCommand ? ToolName : ToolName + " " + command.Name)} --help' for usage.");
            return 1;
        }

        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }

    /// <summary>The <c>--project</c> option every command takes.</summary>
    public static Option<string> ProjectOption() => new("--project", "-p")
    {
        Description = "The project file, or its directory (default: the current directory).",
        HelpName = "path",
    };

    /// <summary>
    /// Sets <paramref name="action"/> as the command's action; a <see cref="UserPoolJwtsException"/> it throws becomes
    /// its message on the error stream and exit code 1.
    /// </summary>
    public static void SetGuardedAction(Command command, Func<ParseResult, TextWriter, int> action) =>
        command.SetAction(parseResult =>
        {
            InvocationConfiguration invocation = parseResult.InvocationConfiguration;
            try
            {
                return action(parseResult, invocation.Output);
            }
            catch (UserPoolJwtsException ex)
            {
                invocation.Error.WriteLine("error: " + ex.Message);
                return 1;
            }
        });
}
