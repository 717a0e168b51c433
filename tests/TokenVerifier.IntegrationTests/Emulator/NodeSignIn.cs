using System.Diagnostics;
using System.Text.Json;

namespace TokenVerifier.IntegrationTests.Emulator;

/// <summary>Signs a user in and out by running the node client scripts, the way a front-end or back-end would obtain and give up tokens.</summary>
public static class NodeSignIn
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Runs the script of <paramref name="library"/> and returns the tokens it printed.</summary>
    public static async Task<TokenSet> SignInAsync(ClientLibrary library, Uri endpoint, string poolId, string clientId, string username, string password)
    {
        var script = library switch
        {
            ClientLibrary.AwsSdkV3 => "sign-in-sdk.mjs",
            ClientLibrary.AmazonCognitoIdentityJs => "sign-in-identity-js.mjs",
            _ => throw new ArgumentOutOfRangeException(nameof(library)),
        };

        var stdout = await RunAsync(script, endpoint, clientId, new()
        {
            ["USER_POOL_ID"] = poolId,
            ["COGNITO_USERNAME"] = username,
            ["COGNITO_PASSWORD"] = password,
        });
        return JsonSerializer.Deserialize<TokenSet>(stdout, Json)
            ?? throw new InvalidOperationException($"{script} printed no token set.");
    }

    /// <summary>
    /// Revokes <paramref name="refreshToken"/> with the AWS SDK v3 <c>RevokeToken</c> (<c>revoke-token.mjs</c>), as a client
    /// signing out does; fails when the emulator refuses.
    /// </summary>
    public static Task RevokeTokenAsync(Uri endpoint, string clientId, string refreshToken) =>
        RunAsync("revoke-token.mjs", endpoint, clientId, new() { ["REFRESH_TOKEN"] = refreshToken });

    private static async Task<string> RunAsync(string script, Uri endpoint, string clientId, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = CognitoLocalProcess.EmulatorDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);

        // Tokens and passwords go through the environment, not the command line, where any process listing shows them.
        start.Environment["COGNITO_ENDPOINT"] = endpoint.ToString().TrimEnd('/');
        start.Environment["CLIENT_ID"] = clientId;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using (var timeout = new CancellationTokenSource(Timeout))
        {
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                throw new TimeoutException($"{script} did not finish within {Timeout.TotalSeconds} s.");
            }
        }

        // stderr holds the error's name and message (and the SDK's Node version notice), never a token.
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} failed with exit code {process.ExitCode}: {await stderr}");
        }

        return await stdout;
    }
}
