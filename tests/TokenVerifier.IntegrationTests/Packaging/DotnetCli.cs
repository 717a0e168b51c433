namespace TokenVerifier.IntegrationTests.Packaging;

/// <summary>Runs the dotnet CLI the way a user would, bounded in time, and returns what it printed.</summary>
internal static class DotnetCli
{
    public static Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, TimeSpan timeout, params string[] arguments) =>
        ProcessRunner.RunAsync("dotnet", workingDirectory, timeout, arguments);

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TokenVerifier.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("TokenVerifier.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The configuration the tests were built in, so packing reuses those outputs instead of rebuilding.</summary>
    public static string BuildConfiguration() =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
}
