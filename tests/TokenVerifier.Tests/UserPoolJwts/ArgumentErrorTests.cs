namespace TokenVerifier.Tests.UserPoolJwts;

/// <summary>Bad input ends with exit code 1, the reason on standard error, and nothing on standard output.</summary>
public sealed class ArgumentErrorTests : IDisposable
{
    private readonly ToolSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Theory]
    [InlineData(new[] { "create", "--bogus" }, "Unrecognized command or argument '--bogus'")]
    [InlineData(new[] { "init", "--force" }, "Unrecognized command or argument '--force'")]
    [InlineData(new[] { "mint" }, "Unrecognized command or argument 'mint'")]
    [InlineData(new string[0], "Required command was not provided")]
    [InlineData(new[] { "create", "--expires", "soon" }, "--expires: 'soon' is not a duration")]
    [InlineData(new[] { "create", "--expires", "5x" }, "--expires: '5x' is not a duration")]
    [InlineData(new[] { "create", "--expires", "0m" }, "--expires: '0m' is not a positive duration")]
    [InlineData(new[] { "create", "--expires", "-01:00:00" }, "--expires: '-01:00:00' is not a positive duration")]
    [InlineData(new[] { "create", "--expires" }, "Required argument missing for option: '--expires'")]
    [InlineData(new[] { "create", "--token-use", "refresh" }, "Argument 'refresh' not recognized. Must be one of")]
    [InlineData(new[] { "create", "--claim", "novalue" }, "--claim 'novalue' is not name=value")]
    [InlineData(new[] { "create", "--claim", "=value" }, "--claim '=value' is not name=value")]
    [InlineData(new[] { "create", "--group", "a", "b" }, "Unrecognized command or argument 'b'")]
    public void Bad_arguments_fail_with_the_reason_on_standard_error(string[] args, string reason)
    {
        var (exitCode, output, error) = _sandbox.Run(args);

        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Contains("--help' for usage.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_date_in_the_past_is_refused()
    {
        _sandbox.Succeed("init");

        var (exitCode, output, error) = _sandbox.Run("create", "--expires", "2026-11-01");

        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        Assert.Contains("--expires 2026-11-01T00:00:00.0000000+00:00 is not in the future", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("create")]
    [InlineData("key")]
    [InlineData("print")]
    public void Commands_that_need_a_key_say_to_run_init_first(string command)
    {
        var (exitCode, output, error) = _sandbox.Run(command);

        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        Assert.Contains("has no UserSecretsId yet: run 'user-pool-jwts init'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_project_with_secrets_but_no_key_is_told_to_run_init_too()
    {
        using var sandbox = new ToolSandbox(ToolSandbox.ProjectXml.Replace("<Nullable>", "<UserSecretsId>other-tool</UserSecretsId><Nullable>", StringComparison.Ordinal));

        var (exitCode, _, error) = sandbox.Run("create");

        Assert.Equal(1, exitCode);
        Assert.Contains("No signing key in the user secrets", error, StringComparison.Ordinal);
        Assert.Contains("run 'user-pool-jwts init' first", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_private_key_is_reported_with_the_fix()
    {
        _sandbox.Succeed("init");
        string path = _sandbox.SecretsPath(_sandbox.UserSecretsId());
        string secrets = File.ReadAllText(path);
        string key = _sandbox.Secrets()["UserPoolJwts:PrivateKey"]!;
        File.WriteAllText(path, secrets.Replace(key, "AAAA" + key[20..], StringComparison.Ordinal));

        var (exitCode, output, error) = _sandbox.Run("create");

        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        Assert.Contains("is unreadable; run 'user-pool-jwts init --reset'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("init", "--reset")]
    [InlineData("create", "--expires")]
    [InlineData("key", "--project")]
    [InlineData("print", "--project")]
    public void Each_command_has_help(string command, string option)
    {
        var (exitCode, output, _) = _sandbox.Run(command, "--help");

        Assert.Equal(0, exitCode);
        // The usage line names the executable: user-pool-jwts when installed, the test host here.
        Assert.Contains($" {command} [options]", output, StringComparison.Ordinal);
        Assert.Contains(option, output, StringComparison.Ordinal);
    }
}
