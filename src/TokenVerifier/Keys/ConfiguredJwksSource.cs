using System.Security.Cryptography;
using System.Text;

namespace TokenVerifier.Keys;

/// <summary>
/// A key set given in configuration (<see cref="UserPoolOptions.Jwks"/> or <see cref="UserPoolOptions.JwksFile"/>) in place
/// of the pool's endpoint: the cache reads it whenever it would have fetched (its refresh interval, an unknown <c>kid</c>),
/// so a replaced file is picked up without a restart and nothing is ever requested over the network.
/// </summary>
internal sealed class ConfiguredJwksSource : IJwksSource
{
    private readonly string? _json;
    private readonly string? _path;
    private readonly DateTimeOffset _configuredAt;
    private readonly int _maxBytes;

    private ConfiguredJwksSource(Uri address, string? json, string? path, DateTimeOffset configuredAt, int maxBytes)
    {
        Address = address;
        _json = json;
        _path = path;
        _configuredAt = configuredAt;
        _maxBytes = maxBytes;
    }

    public Uri Address { get; }

    /// <summary>True when the pool's keys come from configuration rather than from its endpoint.</summary>
    public static bool IsConfigured(UserPoolOptions pool) => !string.IsNullOrWhiteSpace(pool.Jwks) || !string.IsNullOrWhiteSpace(pool.JwksFile);

    /// <summary>The name a configured set's cache goes by: the file's URL, or a digest of the inline set (equal sets share a cache).</summary>
    public static Uri AddressOf(UserPoolOptions pool) => !string.IsNullOrWhiteSpace(pool.JwksFile)
        ? new Uri(Path.GetFullPath(pool.JwksFile))
        : new Uri("urn:tokenverifier:jwks:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(pool.Jwks!)))[..16]);

    /// <summary>The source of a pool whose keys are configured; null for a pool whose keys are fetched.</summary>
    public static ConfiguredJwksSource? For(UserPoolOptions pool, TimeProvider time, int maxBytes)
    {
        if (!IsConfigured(pool))
        {
            return null;
        }

        var inline = string.IsNullOrWhiteSpace(pool.JwksFile);
        return new ConfiguredJwksSource(AddressOf(pool), inline ? pool.Jwks : null, inline ? null : Path.GetFullPath(pool.JwksFile!), time.GetUtcNow(), maxBytes);
    }

    /// <summary>What is wrong with a configured set, for start-up validation; null when it has a usable key.</summary>
    public static string? Check(string json)
    {
        var rejected = new List<string>();
        try
        {
            if (JwksKeyReader.Read(json, rejected).Count == 0)
            {
                return "has no usable RS256 signing key" + (rejected.Count == 0 ? "" : " (" + string.Join("; ", rejected) + ")");
            }
        }
        catch (FormatException)
        {
            return "is not a JSON Web Key Set ({\"keys\": [...]})";
        }

        return null;
    }

    public Task<JwksDownload> DownloadAsync()
    {
        if (_path is null)
        {
            // An inline set changes only with the configuration, which is read at start: its age is the application's.
            return Task.FromResult(JwksDownload.Succeeded(_json!, _configuredAt));
        }

        try
        {
            var file = new FileInfo(_path);
            if (file.Exists && file.Length > _maxBytes)
            {
                return Task.FromResult(JwksDownload.Failed($"the file is larger than {_maxBytes} bytes"));
            }

            // The time is read before the text: a file replaced in between is then dated older than it is, and reported as
            // such, rather than newer.
            var changed = new DateTimeOffset(File.GetLastWriteTimeUtc(_path), TimeSpan.Zero);
            var json = File.ReadAllText(_path, new UTF8Encoding(false, true));
            return Task.FromResult(JwksDownload.Succeeded(json, changed));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            return Task.FromResult(JwksDownload.Failed($"the file could not be read: {e.Message}"));
        }
    }
}
