using System.CommandLine;
using TokenVerifier.UserPoolJwts.Secrets;

namespace TokenVerifier.UserPoolJwts.Commands;

/// <summary><c>print</c>: shows where the project's key lives and the pool settings the app gets (never the private key).</summary>
internal static class PrintCommand
{
    public static Command Create(ToolContext context)
    {
        Option<string> project = UserPoolJwtsCli.ProjectOption();
        var command = new Command("print", "Show the project's development pool: its user secrets file, pool id, issuer, client id and key id.") { project };
        UserPoolJwtsCli.SetGuardedAction(command, (parse, output) =>
        {
            var (projectFile, secrets, pool) = context.OpenInitialized(parse.GetValue(project));
            output.WriteLine($"Project:      {projectFile.Path}");
            output.WriteLine($"Secrets file: {secrets.Path}");
            output.WriteLine($"UserPoolId:   {pool.UserPoolId}");
            output.WriteLine($"Issuer:       {pool.Issuer ?? $"Cognito's for the pool id"}");
            output.WriteLine($"ClientId:     {pool.ClientId}");
            output.WriteLine($"Key id:       {pool.KeyId}");
            output.WriteLine($"Trusted:      {(secrets.Get(DevPoolSecrets.JwksKey)?.Contains($"\"{pool.KeyId}\"", StringComparison.Ordinal) == true ? "yes, UserPool:Jwks holds the key" : "no, UserPool:Jwks lacks the key: run 'user-pool-jwts init'")}");
            return 0;
        });
        return command;
    }
}
