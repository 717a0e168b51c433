using Microsoft.Extensions.Configuration.UserSecrets;
using TokenVerifier.UserPoolJwts.Projects;
using TokenVerifier.UserPoolJwts.Secrets;

namespace TokenVerifier.UserPoolJwts.Commands;

/// <summary>What the commands take from the machine; tests give their own directory, secrets root and clock.</summary>
/// <param name="CurrentDirectory">Where a relative <c>--project</c> (or none) is looked up.</param>
/// <param name="SecretsPathForId">Where a UserSecretsId's <c>secrets.json</c> lives.</param>
/// <param name="TimeProvider">The clock tokens are minted by.</param>
internal sealed record ToolContext(string CurrentDirectory, Func<string, string> SecretsPathForId, TimeProvider TimeProvider)
{
    /// <summary>The real machine: user secrets where the app's configuration reads them (APPDATA, else HOME).</summary>
    public static ToolContext FromEnvironment() =>
        new(Environment.CurrentDirectory, PathHelper.GetSecretsPathFromSecretsId, TimeProvider.System);

    /// <summary>The project's secrets and the pool <c>init</c> wrote there; an error naming the fix when there is none.</summary>
    public (ProjectFile Project, UserSecretsFile Secrets, DevPoolSecrets Pool) OpenInitialized(string? projectOption)
    {
        var project = ProjectFile.Find(projectOption, CurrentDirectory);
        string id = project.ReadUserSecretsId()
            ?? throw new UserPoolJwtsException($"'{project.Path}' has no UserSecretsId yet: run 'user-pool-jwts init' in its directory first.");
        var secrets = UserSecretsFile.Load(SecretsPathForId(id));
        var pool = DevPoolSecrets.Read(secrets)
            ?? throw new UserPoolJwtsException($"No signing key in the user secrets of '{project.Path}' ({secrets.Path}): run 'user-pool-jwts init' first.");
        return (project, secrets, pool);
    }
}
