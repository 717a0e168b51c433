using System.Text.RegularExpressions;
using System.Xml.Linq;
using TokenVerifier.IntegrationTests.Packaging;

namespace TokenVerifier.IntegrationTests.Documentation;

/// <summary>
/// Every C# block of the README compiles as shown, against the libraries as built, with a web project's implicit usings
/// and the <c>using</c> lines the block itself shows. A block that shows pieces of several files says so on its first
/// line (<see cref="ReadmeCodeBlock.FragmentMarker"/>) and is exempt. So the README cannot rot again.
/// </summary>
public sealed partial class ReadmeSnippetTests : IDisposable
{
    // What a reader's project would add for the README's blocks: the test kit's frameworks and the JwtBearer handler.
    private static readonly string[] Packages =
        ["Microsoft.AspNetCore.Authentication.JwtBearer", "Microsoft.AspNetCore.Mvc.Testing", "Microsoft.AspNetCore.OpenApi", "xunit"];

    private readonly string _work = Directory.CreateTempSubdirectory("tv-readme-").FullName;
    private readonly string _root = DotnetCli.RepositoryRoot();

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private IReadOnlyList<ReadmeCodeBlock> Blocks() => ReadmeCodeBlock.Parse(File.ReadAllText(Path.Combine(_root, "README.md")));

    [Fact]
    public async Task Every_csharp_block_that_is_not_marked_as_a_fragment_compiles()
    {
        var blocks = Blocks().Where(b => !b.IsFragment).ToList();
        Assert.True(blocks.Count >= 8, $"only {blocks.Count} compilable blocks found: is the parser still reading the README?");

        foreach (var block in blocks)
        {
            await File.WriteAllTextAsync(Path.Combine(_work, $"ReadmeBlock{block.Line}.cs"), block.ToSource());
        }

        await File.WriteAllTextAsync(Path.Combine(_work, "ReadmeBlocks.csproj"), ProjectFile());
        var (exit, output) = await DotnetCli.RunAsync(_work, TimeSpan.FromMinutes(6),
            "build", "-c", DotnetCli.BuildConfiguration(), "-nologo", "-clp:ErrorsOnly", "-p:BuildProjectReferences=false");

        Assert.True(exit == 0, "README blocks that do not compile (README.md line numbers):\n" + string.Join('\n', ErrorLines(output)));
    }

    [Fact]
    public void Fragments_are_few_and_say_so_on_their_first_line()
    {
        var fragments = Blocks().Where(b => b.IsFragment).ToList();

        Assert.All(fragments, f => Assert.Matches(@"^// Fragment: \S", f.Code.TrimStart()));
        Assert.True(fragments.Count <= 3, $"{fragments.Count} fragments: show code that compiles instead");
    }

    [Fact]
    public void The_testing_example_is_the_test_that_runs_in_the_suite()
    {
        var test = File.ReadAllText(Path.Combine(_root, "tests/TokenVerifier.AspNetCore.Tests/Testing/OrdersApiTests.cs"));
        // The test file carries a first comment line and its namespace; the README shows the rest verbatim.
        var expected = NamespaceLine().Replace(test[(test.IndexOf('\n', StringComparison.Ordinal) + 1)..], "").Trim();

        Assert.Contains(Blocks(), b => b.Code.Trim() == expected);
    }

    [Fact]
    public void A_statement_block_is_wrapped_with_its_usings_hoisted_and_mapped_to_its_readme_line()
    {
        var block = new ReadmeCodeBlock(42, "using TokenVerifier.Testing;\nusing var pool = new LocalUserPool();\nbuilder.Services.AddUserPoolAuth(builder.Configuration);");
        var source = block.ToSource();

        Assert.False(block.IsFile);
        Assert.StartsWith("using TokenVerifier.Testing;", source, StringComparison.Ordinal);
        Assert.Contains("#line 43 \"README.md\"\nusing var pool", source, StringComparison.Ordinal);
        Assert.True(new ReadmeCodeBlock(1, "using Xunit;\npublic sealed class T { }").IsFile);
    }

    private string ProjectFile()
    {
        var versions = XDocument.Load(Path.Combine(_root, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(p => (string)p.Attribute("Include")!, p => (string)p.Attribute("Version")!, StringComparer.Ordinal);
        var projects = Directory.EnumerateFiles(Path.Combine(_root, "src"), "*.csproj", SearchOption.AllDirectories)
            .Append(Path.Combine(_root, "samples", "WebApi", "WebApi.csproj"))
            .Append(Path.Combine(_root, "samples", "GrpcService", "GrpcService.csproj"))
            .Order(StringComparer.Ordinal);

        return $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <OutputType>Library</OutputType>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <InterceptorsNamespaces>$(InterceptorsNamespaces);Microsoft.AspNetCore.OpenApi.Generated</InterceptorsNamespaces>
                <NoWarn>$(NoWarn);CS1998;CS8321;CS0168;CS0219;CS4014</NoWarn>
              </PropertyGroup>
              <ItemGroup>
                <!-- As `dotnet new xunit` does, for the test class the README shows. -->
                <Using Include="Xunit" />
            {string.Join('\n', Packages.Select(p => $"    <PackageReference Include=\"{p}\" Version=\"{versions[p]}\" />"))}
            {string.Join('\n', projects.Select(p => $"    <ProjectReference Include=\"{p}\" />"))}
              </ItemGroup>
            </Project>
            """;
    }

    private static IEnumerable<string> ErrorLines(string output) =>
        output.Split('\n').Where(l => l.Contains(": error ", StringComparison.Ordinal)).Distinct().Take(40);

    [GeneratedRegex(@"^namespace [A-Za-z0-9_.]+;\r?\n\r?\n", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();
}
