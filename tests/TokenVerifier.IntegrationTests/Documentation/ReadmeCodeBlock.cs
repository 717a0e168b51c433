using System.Text.RegularExpressions;

namespace TokenVerifier.IntegrationTests.Documentation;

/// <summary>One fenced <c>csharp</c> block of the README, with the line its code starts on.</summary>
internal sealed partial record ReadmeCodeBlock(int Line, string Code)
{
    /// <summary>The marker a block's first line carries when it shows pieces of several files rather than code to paste.</summary>
    public const string FragmentMarker = "// Fragment:";

    public bool IsFragment => Code.TrimStart().StartsWith(FragmentMarker, StringComparison.Ordinal);

    /// <summary>A whole file (it declares a type), as opposed to statements that go into <c>Program.cs</c>.</summary>
    public bool IsFile => TypeDeclaration().IsMatch(Code);

    public static IReadOnlyList<ReadmeCodeBlock> Parse(string markdown)
    {
        var blocks = new List<ReadmeCodeBlock>();
        var lines = markdown.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "```csharp")
            {
                continue;
            }

            // A block inside a list item is indented; its code is not.
            var indent = lines[i][..(lines[i].Length - lines[i].TrimStart().Length)];
            var start = i + 1;
            var end = start;
            while (end < lines.Length && lines[end].Trim() != "```")
            {
                end++;
            }

            var code = lines[start..end].Select(line => line.StartsWith(indent, StringComparison.Ordinal) ? line[indent.Length..] : line.TrimStart());
            blocks.Add(new ReadmeCodeBlock(start + 1, string.Join('\n', code)));
            i = end;
        }

        return blocks;
    }

    /// <summary>
    /// The block as a C# file: a whole file as it is; statements inside a method whose parameters are what a
    /// <c>Program.cs</c> has in scope (<c>builder</c>, <c>app</c>) plus <c>services</c>, with the block's
    /// <c>using</c> directives hoisted. <c>#line</c> maps compiler errors back to README.md.
    /// </summary>
    public string ToSource()
    {
        if (IsFile)
        {
            return $"#line {Line} \"README.md\"\n{Code}\n";
        }

        var usings = new List<string>();
        var body = new List<string>();
        foreach (var line in Code.Split('\n'))
        {
            (body.Count == 0 && UsingDirective().IsMatch(line) ? usings : body).Add(line);
        }

        return $$"""
            {{string.Join('\n', usings)}}

            internal static class ReadmeBlockAtLine{{Line}}
            {
                internal static async Task RunAsync(WebApplicationBuilder builder, WebApplication app, IServiceCollection services)
                {
                    await Task.CompletedTask;
            #line {{Line + usings.Count}} "README.md"
            {{string.Join('\n', body)}}
            #line default
                }
            }

            """;
    }

    [GeneratedRegex(@"^(public |internal )?((sealed|static|partial|abstract) )*(class|record|struct|interface) ", RegexOptions.Multiline)]
    private static partial Regex TypeDeclaration();

    // "using X.Y;" or "using static X;" or an alias, but not "using var x = ..." (a statement).
    [GeneratedRegex(@"^using (static )?[A-Za-z_][A-Za-z0-9_.]*( = [A-Za-z0-9_.<>]+)?;\s*$")]
    private static partial Regex UsingDirective();
}
