using System.Xml.Linq;

namespace TokenVerifier.UserPoolJwts.Projects;

/// <summary>The project whose user secrets the tool works in: found the way <c>dotnet user-secrets</c> finds it.</summary>
internal sealed class ProjectFile
{
    private ProjectFile(string path) => Path = path;

    public string Path { get; }

    /// <summary>
    /// <paramref name="projectOption"/> is a project file or a directory holding exactly one; none means the current
    /// directory.
    /// </summary>
    public static ProjectFile Find(string? projectOption, string currentDirectory)
    {
        string candidate = System.IO.Path.GetFullPath(projectOption ?? ".", currentDirectory);
        if (File.Exists(candidate))
        {
            return new ProjectFile(candidate);
        }

        if (!Directory.Exists(candidate))
        {
            throw new UserPoolJwtsException($"No project at '{candidate}': give --project a project file or its directory.");
        }

        string[] projects = Directory.GetFiles(candidate, "*.csproj");
        return projects.Length switch
        {
            1 => new ProjectFile(projects[0]),
            0 => throw new UserPoolJwtsException($"No .csproj file in '{candidate}': run the tool in the project's directory or give --project."),
            _ => throw new UserPoolJwtsException($"More than one .csproj file in '{candidate}': name one with --project."),
        };
    }

    /// <summary>The project's <c>UserSecretsId</c>, or <see langword="null"/> when it has none.</summary>
    public string? ReadUserSecretsId()
    {
        XDocument document = Load();
        string? id = document.Descendants().FirstOrDefault(e => e.Name.LocalName == "UserSecretsId")?.Value.Trim();
        return string.IsNullOrEmpty(id) ? null : id;
    }

    /// <summary>
    /// Returns the project's <c>UserSecretsId</c>, adding a new one to its first unconditional property group first
    /// when it has none, as <c>dotnet user-secrets init</c> does.
    /// </summary>
    public (string Id, bool Added) EnsureUserSecretsId()
    {
        if (ReadUserSecretsId() is { } existing)
        {
            return (existing, false);
        }

        XDocument document = Load();
        XElement project = document.Root ?? throw new UserPoolJwtsException($"'{Path}' is not an MSBuild project.");
        XNamespace ns = project.Name.Namespace;
        XElement? group = project.Elements(ns + "PropertyGroup").FirstOrDefault(g => g.Attribute("Condition") is null);
        if (group is null)
        {
            group = new XElement(ns + "PropertyGroup", new XText("\n  "));
            project.AddFirst(new XText("\n  "), group);
        }

        string id = Guid.NewGuid().ToString();
        // Indented like the group's other properties, so the change a user reviews is one tidy line.
        string indent = group.Elements().FirstOrDefault()?.PreviousNode is XText { Value: var text } ? text : "\n    ";
        var element = new XElement(ns + "UserSecretsId", id);
        if (group.LastNode is XText closing)
        {
            closing.AddBeforeSelf(new XText(indent), element);
        }
        else
        {
            group.Add(new XText(indent), element, new XText("\n  "));
        }

        Save(document);
        return (id, true);
    }

    private XDocument Load()
    {
        try
        {
            return XDocument.Load(Path, LoadOptions.PreserveWhitespace);
        }
        catch (System.Xml.XmlException ex)
        {
            throw new UserPoolJwtsException($"'{Path}' is not a readable project file: {ex.Message}");
        }
    }

    private void Save(XDocument document)
    {
        // XML parsing turns CRLF into LF and the writer would drop a byte-order mark: both are put back, so the change a
        // user reviews is the one added line.
        byte[] original = File.ReadAllBytes(Path);
        bool byteOrderMark = original.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]);
        bool crlf = original.AsSpan().IndexOf("\r\n"u8) >= 0;
        var encoding = new System.Text.UTF8Encoding(byteOrderMark);
        using var buffer = new MemoryStream();
        var settings = new System.Xml.XmlWriterSettings { OmitXmlDeclaration = document.Declaration is null, Encoding = new System.Text.UTF8Encoding(false) };
        using (var writer = System.Xml.XmlWriter.Create(buffer, settings))
        {
            document.Save(writer);
        }

        string text = System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        File.WriteAllText(Path, crlf ? text.ReplaceLineEndings("\r\n") : text, encoding);
    }
}
