using System.CommandLine;
using TokenVerifier.Testing;
using TokenVerifier.UserPoolJwts.Projects;
using TokenVerifier.UserPoolJwts.Secrets;

namespace TokenVerifier.UserPoolJwts.Commands;

/// <summary>
/// <c>init</c>: gives the project a UserSecretsId, a signing key in its user secrets, and the Development settings
/// that make the app trust that key. Running it again keeps the key (and pool and client ids) unless told otherwise.
/// </summary>
internal static class InitCommand
{
    public static Command Create(ToolContext context)
    {
        Option<string> project = UserPoolJwtsCli.ProjectOption();
        Option<bool> reset = new("--reset") { Description = "Replace the signing key with a new one (tokens minted before stop verifying)." };
        Option<string> poolId = new("--pool-id") { Description = "The user pool id to trust, {region}_{id} (default: kept, or a new random one).", HelpName = "id" };
        Option<string> clientId = new("--client-id") { Description = "The app client id to trust (default: kept, or a new random one).", HelpName = "id" };
        Option<string> issuer = new("--issuer") { Description = "An issuer URL to write instead of Cognito's for the pool id (for apps configured with one).", HelpName = "url" };

        var command = new Command("init", "Create a local signing key in the project's user secrets and make the app trust it in Development.")
        {
            project, reset, poolId, clientId, issuer,
        };
        UserPoolJwtsCli.SetGuardedAction(command, (parse, output) => Run(
            context, output, parse.GetValue(project), parse.GetValue(reset), parse.GetValue(poolId), parse.GetValue(clientId), parse.GetValue(issuer)));
        return command;
    }

    private static int Run(ToolContext context, TextWriter output, string? projectOption, bool reset, string? poolId, string? clientId, string? issuer)
    {
        var project = ProjectFile.Find(projectOption, context.CurrentDirectory);
        (string secretsId, bool added) = project.EnsureUserSecretsId();
        if (added)
        {
            output.WriteLine($"Added UserSecretsId {secretsId} to {project.Path}.");
        }

        var secrets = UserSecretsFile.Load(context.SecretsPathForId(secretsId));
        DevPoolSecrets? existing = DevPoolSecrets.Read(secrets);
        bool newKey = existing is null || reset;
        (string keyId, string privateKey) = newKey ? DevPoolSecrets.NewKey() : (existing!.KeyId, existing.PrivateKey);
        var pool = new DevPoolSecrets
        {
            UserPoolId = poolId ?? existing?.UserPoolId ?? DevPoolSecrets.NewUserPoolId(),
            Issuer = issuer ?? existing?.Issuer,
            ClientId = clientId ?? existing?.ClientId ?? DevPoolSecrets.NewClientId(),
            KeyId = keyId,
            PrivateKey = privateKey,
        };

        // Building the pool checks the pool id and issuer before anything is written.
        using (LocalUserPool signer = pool.CreatePool(context.TimeProvider))
        {
            pool.WriteTo(secrets, signer.GetJwksJson());
        }

        secrets.Save();
        output.WriteLine(newKey
            ? $"Created signing key {pool.KeyId} in {secrets.Path}."
            : $"Kept signing key {pool.KeyId} in {secrets.Path} (--reset replaces it).");
        output.WriteLine("In Development the app trusts it through these user secrets:");
        output.WriteLine($"  {DevPoolSecrets.UserPoolIdKey} = {pool.UserPoolId}");
        if (pool.Issuer is not null)
        {
            output.WriteLine($"  {DevPoolSecrets.IssuerKey} = {pool.Issuer}");
        }

        output.WriteLine($"  {DevPoolSecrets.ClientIdKey} = {pool.ClientId}");
        output.WriteLine($"  {DevPoolSecrets.JwksKey} = (the public key set; 'user-pool-jwts key' prints it)");
        output.WriteLine("Mint a token with: user-pool-jwts create --scope <scope> --group <group>");
        return 0;
    }
}
