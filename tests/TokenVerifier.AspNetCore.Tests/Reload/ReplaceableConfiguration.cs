using Microsoft.Extensions.Configuration;

namespace TokenVerifier.AspNetCore.Tests.Reload;

/// <summary>
/// An in-memory configuration source whose whole content can be replaced, signalling a reload as a file source does
/// when its file is rewritten (the memory source cannot remove keys).
/// </summary>
internal sealed class ReplaceableConfiguration : IConfigurationSource
{
    private readonly Provider _provider = new();

    public ReplaceableConfiguration(IDictionary<string, string?> settings) => _provider.Replace(settings, signal: false);

    public IConfigurationProvider Build(IConfigurationBuilder builder) => _provider;

    /// <summary>Replaces every setting and signals the reload; returns once every listener has run.</summary>
    public void Replace(IDictionary<string, string?> settings) => _provider.Replace(settings, signal: true);

    private sealed class Provider : ConfigurationProvider
    {
        public void Replace(IDictionary<string, string?> settings, bool signal)
        {
            Data = new Dictionary<string, string?>(settings, StringComparer.OrdinalIgnoreCase);
            if (signal)
            {
                OnReload();
            }
        }
    }
}
