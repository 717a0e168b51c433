using TokenVerifier.Validation;
using System.Xml.Linq;

namespace TokenVerifier.Tests.UserPoolJwts;

public sealed class InitCommandTests : IDisposable
{
    private readonly ToolSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void Init_gives_the_project_a_UserSecretsId_and_writes_the_pool_the_app_binds_into_its_secrets()
    {
        string output = _sandbox.Succeed("init");

        string id = _sandbox.UserSecretsId();
        Assert.True(Guid.TryParse(id, out _));
        Assert.Contains("Added UserSecretsId", output, StringComparison.Ordinal);
        var secrets = _sandbox.Secrets();
        Assert.Matches("^us-east-1_[A-Za-z0-9]{9}$", secrets["UserPool:UserPoolId"]);
        Assert.Matches("^[a-z0-9]{26}$", secrets["UserPool:ClientIds:0"]);
        Assert.Null(secrets["UserPool:Issuer"]);
        Assert.StartsWith("{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"" + secrets["UserPoolJwts:KeyId"] + "\"", secrets["UserPool:Jwks"], StringComparison.Ordinal);
        // The public set carries no private member of the key.
        Assert.DoesNotContain("\"d\":", secrets["UserPool:Jwks"], StringComparison.Ordinal);
    }

    [Fact]
    public void Init_adds_the_UserSecretsId_beside_the_other_properties_and_changes_nothing_else()
    {
        _sandbox.Succeed("init");

        string expected = ToolSandbox.ProjectXml.Replace(
            "    <Nullable>enable</Nullable>\n", $"    <Nullable>enable</Nullable>\n    <UserSecretsId>{_sandbox.UserSecretsId()}</UserSecretsId>\n", StringComparison.Ordinal);
        Assert.Equal(expected, File.ReadAllText(_sandbox.ProjectPath));
    }

    [Fact]
    public void Init_keeps_a_CRLF_project_CRLF()
    {
        using var sandbox = new ToolSandbox(ToolSandbox.ProjectXml.ReplaceLineEndings("\r\n"));

        sandbox.Succeed("init");

        string expected = ToolSandbox.ProjectXml.Replace(
            "    <Nullable>enable</Nullable>\n", $"    <Nullable>enable</Nullable>\n    <UserSecretsId>{sandbox.UserSecretsId()}</UserSecretsId>\n", StringComparison.Ordinal);
        Assert.Equal(expected.ReplaceLineEndings("\r\n"), File.ReadAllText(sandbox.ProjectPath));
    }

    [Fact]
    public void Init_adds_a_property_group_to_a_project_without_one()
    {
        using var sandbox = new ToolSandbox("<Project Sdk=\"Microsoft.NET.Sdk.Web\">\n</Project>\n");

        sandbox.Succeed("init");

        Assert.Equal(
            $"<Project Sdk=\"Microsoft.NET.Sdk.Web\">\n  <PropertyGroup>\n    <UserSecretsId>{sandbox.UserSecretsId()}</UserSecretsId>\n  </PropertyGroup>\n</Project>\n",
            File.ReadAllText(sandbox.ProjectPath));
    }

    [Fact]
    public void Init_uses_the_UserSecretsId_a_project_already_has()
    {
        using var sandbox = new ToolSandbox(ToolSandbox.ProjectXml.Replace("<Nullable>", "<UserSecretsId>my-api-secrets</UserSecretsId><Nullable>", StringComparison.Ordinal));

        string output = sandbox.Succeed("init");

        Assert.Equal("my-api-secrets", sandbox.UserSecretsId());
        Assert.DoesNotContain("Added UserSecretsId", output, StringComparison.Ordinal);
        Assert.True(File.Exists(sandbox.SecretsPath("my-api-secrets")));
    }

    [Fact]
    public async Task Init_again_keeps_the_key_pool_and_client_so_earlier_tokens_still_verify()
    {
        _sandbox.Succeed("init");
        string before = File.ReadAllText(_sandbox.SecretsPath(_sandbox.UserSecretsId()));
        string token = _sandbox.Succeed("create").Trim();

        string output = _sandbox.Succeed("init");

        Assert.Contains("Kept signing key", output, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(_sandbox.SecretsPath(_sandbox.UserSecretsId())));
        Assert.Single(XDocument.Load(_sandbox.ProjectPath).Descendants("UserSecretsId"));
        Assert.True((await _sandbox.Validator().ValidateAsync(token)).IsValid);
    }

    [Fact]
    public async Task Init_with_reset_replaces_the_key_and_tokens_of_the_old_one_stop_verifying()
    {
        _sandbox.Succeed("init");
        var first = _sandbox.Secrets();
        string token = _sandbox.Succeed("create").Trim();

        _sandbox.Succeed("init", "--reset");

        var second = _sandbox.Secrets();
        Assert.NotEqual(first["UserPoolJwts:KeyId"], second["UserPoolJwts:KeyId"]);
        Assert.Equal(first["UserPool:UserPoolId"], second["UserPool:UserPoolId"]);
        Assert.Equal(first["UserPool:ClientIds:0"], second["UserPool:ClientIds:0"]);
        Assert.Equal(TokenFailure.KeyNotFound, (await _sandbox.Validator().ValidateAsync(token)).Failure);
    }

    [Fact]
    public async Task Init_takes_the_pool_client_and_issuer_an_app_is_configured_with()
    {
        _sandbox.Succeed("init", "--pool-id", "eu-west-1_AbC123", "--client-id", "4f3rexampleclientid000000", "--issuer", "http://127.0.0.1:9229/eu-west-1_AbC123");

        var secrets = _sandbox.Secrets();
        Assert.Equal("eu-west-1_AbC123", secrets["UserPool:UserPoolId"]);
        Assert.Equal("4f3rexampleclientid000000", secrets["UserPool:ClientIds:0"]);
        Assert.Equal("http://127.0.0.1:9229/eu-west-1_AbC123", secrets["UserPool:Issuer"]);
        var result = await _sandbox.Validator().ValidateAsync(_sandbox.Succeed("create").Trim());
        Assert.True(result.IsValid, result.FailureMessage);
        Assert.Equal("http://127.0.0.1:9229/eu-west-1_AbC123", result.Token!.Issuer);
    }

    [Fact]
    public void Init_keeps_the_secrets_it_does_not_own()
    {
        string id = "shared-secrets";
        using var sandbox = new ToolSandbox(ToolSandbox.ProjectXml.Replace("<Nullable>", $"<UserSecretsId>{id}</UserSecretsId><Nullable>", StringComparison.Ordinal));
        Directory.CreateDirectory(Path.GetDirectoryName(sandbox.SecretsPath(id))!);
        File.WriteAllText(sandbox.SecretsPath(id), """{ "ConnectionStrings:Orders": "Host=db;Password=p4ss", "userpool:userpoolid": "us-east-1_Old" }""");

        sandbox.Succeed("init");

        var secrets = sandbox.Secrets();
        Assert.Equal("Host=db;Password=p4ss", secrets["ConnectionStrings:Orders"]);
        // A key written by hand in another case is the same configuration key: replaced, not duplicated.
        Assert.NotEqual("us-east-1_Old", secrets["UserPool:UserPoolId"]);
        Assert.DoesNotContain("us-east-1_Old", File.ReadAllText(sandbox.SecretsPath(id)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_secrets_file_holding_the_private_key_is_readable_by_the_user_alone()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        _sandbox.Succeed("init");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_sandbox.SecretsPath(_sandbox.UserSecretsId())));
    }

    [Fact]
    public void Init_refuses_a_malformed_pool_id_and_writes_nothing()
    {
        var (exitCode, output, error) = _sandbox.Run("init", "--pool-id", "not-a-pool");

        Assert.Equal(1, exitCode);
        Assert.Contains("'not-a-pool' is not a user pool id", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_sandbox.SecretsRoot), output);
    }

    [Fact]
    public void Init_names_the_problem_when_the_directory_has_no_project_or_several()
    {
        var none = _sandbox.Run("init", "--project", _sandbox.SecretsRoot + "-missing");
        File.WriteAllText(Path.Combine(_sandbox.ProjectDirectory, "Other.csproj"), ToolSandbox.ProjectXml);
        var several = _sandbox.Run("init");

        Assert.Equal(1, none.ExitCode);
        Assert.Contains("No project at", none.Error, StringComparison.Ordinal);
        Assert.Equal(1, several.ExitCode);
        Assert.Contains("More than one .csproj file", several.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Init_accepts_the_project_file_itself()
    {
        File.WriteAllText(Path.Combine(_sandbox.ProjectDirectory, "Other.csproj"), ToolSandbox.ProjectXml);

        _sandbox.Succeed("init", "--project", _sandbox.ProjectPath);

        Assert.NotEmpty(_sandbox.UserSecretsId());
    }
}
