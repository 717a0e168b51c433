using System.Text.Json;
using System.Text.Json.Nodes;

namespace TokenVerifier.UserPoolJwts.Secrets;

/// <summary>
/// A project's <c>secrets.json</c>: flat configuration keys (<c>"UserPool:UserPoolId"</c>), as <c>dotnet user-secrets</c>
/// writes them. Entries the tool does not own are kept as they are.
/// </summary>
internal sealed class UserSecretsFile
{
    // Configuration keys are case-insensitive, so a key set by hand in another case is the same key.
    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = true };

    private readonly JsonObject _values;

    private UserSecretsFile(string path, JsonObject values)
    {
        Path = path;
        _values = values;
    }

    public string Path { get; }

    public static UserSecretsFile Load(string path)
    {
        if (!File.Exists(path))
        {
            return new UserSecretsFile(path, new JsonObject(NodeOptions));
        }

        try
        {
            return JsonNode.Parse(File.ReadAllText(path), NodeOptions, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) is JsonObject values
                ? new UserSecretsFile(path, values)
                : throw new UserPoolJwtsException($"The user secrets file '{path}' does not hold a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new UserPoolJwtsException($"The user secrets file '{path}' is not valid JSON: {ex.Message}");
        }
    }

    public string? Get(string key) =>
        _values.TryGetPropertyValue(key, out JsonNode? node) && node is JsonValue value && value.TryGetValue(out string? text) ? text : null;

    public void Set(string key, string value)
    {
        // Remove first, so a key written by hand in another case is replaced rather than duplicated.
        _values.Remove(key);
        _values[key] = JsonValue.Create(value);
    }

    /// <summary>Writes the file whole (beside it, then moved over it), readable by the user alone: it holds a private key.</summary>
    public void Save()
    {
        string directory = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(directory);
        string temporary = Path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(stream.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            _values.WriteTo(writer);
        }

        File.Move(temporary, Path, overwrite: true);
    }
}
