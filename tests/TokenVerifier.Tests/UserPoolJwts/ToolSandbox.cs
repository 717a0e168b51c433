using System.Buffers.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using TokenVerifier.Keys;
using TokenVerifier.Validation;
using TokenVerifier.UserPoolJwts.Commands;

namespace TokenVerifier.Tests.UserPoolJwts;

/// <summary>
/// A project directory and a user-secrets root of a test's own, and the tool's command line run in process against them
/// (the real commands, files and keys; only the secrets root and the clock are the test's).
/// </summary>
internal sealed class ToolSandbox : IDisposable
{
    public const string ProjectXml = """
        <Project Sdk="Microsoft.NET.Sdk.Web">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
          </PropertyGroup>
        </Project>
        """;

    private readonly string _root = Directory.CreateTempSubdirectory("tv-user-pool-jwts-").FullName;

    public ToolSandbox(string projectXml = ProjectXml)
    {
        Directory.CreateDirectory(ProjectDirectory);
        File.WriteAllText(ProjectPath, projectXml);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));

    public string ProjectDirectory => Path.Combine(_root, "Api");

    public string ProjectPath => Path.Combine(ProjectDirectory, "Api.csproj");

    public string SecretsRoot => Path.Combine(_root, "usersecrets");

    public string SecretsPath(string id) => Path.Combine(SecretsRoot, id, "secrets.json");

    public (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new ToolContext(ProjectDirectory, SecretsPath, Time);
        int exitCode = UserPoolJwtsCli.Run(args, output, error, context);
        return (exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Runs a command that must succeed and returns its standard output.</summary>
    public string Succeed(params string[] args)
    {
        var (exitCode, output, error) = Run(args);
        Assert.True(exitCode == 0, $"exit {exitCode}: {error}");
        Assert.Equal("", error);
        return output;
    }

    public string UserSecretsId() =>
        System.Xml.Linq.XDocument.Load(ProjectPath).Descendants("UserSecretsId").Single().Value;

    /// <summary>The project's user secrets read the way the app reads them: as configuration.</summary>
    public IConfiguration Secrets() => new ConfigurationBuilder().AddJsonFile(SecretsPath(UserSecretsId())).Build();

    /// <summary>
    /// A validator configured as the app is in Development, from nothing but the user secrets (<c>UserPool:*</c>): the
    /// key set is the configured one and is never fetched.
    /// </summary>
    public UserPoolTokenValidator Validator(params string[] tokenUses)
    {
        IConfiguration secrets = Secrets();
        var options = new UserPoolValidationOptions
        {
            UserPoolId = secrets["UserPool:UserPoolId"],
            Issuer = secrets["UserPool:Issuer"],
            ClientIds = [secrets["UserPool:ClientIds:0"]!],
            Jwks = secrets["UserPool:Jwks"],
            TokenUse = tokenUses.Length == 0 ? ["access"] : tokenUses,
        };
        return new UserPoolTokenValidator(options, new SigningKeyCacheRegistry(() => throw new InvalidOperationException("A configured key set is never fetched."), Time), Time);
    }

    public static JsonElement Payload(string token)
    {
        using var document = JsonDocument.Parse(Base64Url.DecodeFromChars(token.Split('.')[1]));
        return document.RootElement.Clone();
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
