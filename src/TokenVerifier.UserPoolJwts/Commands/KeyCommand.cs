using System.CommandLine;
using TokenVerifier.Testing;

namespace TokenVerifier.UserPoolJwts.Commands;

/// <summary><c>key</c>: prints the public key set (JWKS) the app trusts, e.g. to save as a <c>JwksFile</c> elsewhere.</summary>
internal static class KeyCommand
{
    public static Command Create(ToolContext context)
    {
        Option<string> project = UserPoolJwtsCli.ProjectOption();
        var command = new Command("key", "Print the public key set (JWKS) of the project's signing key.") { project };
        UserPoolJwtsCli.SetGuardedAction(command, (parse, output) =>
        {
            using LocalUserPool pool = context.OpenInitialized(parse.GetValue(project)).Pool.CreatePool(context.TimeProvider);
            output.WriteLine(pool.GetJwksJson());
            return 0;
        });
        return command;
    }
}
