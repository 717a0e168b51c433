using System.Diagnostics.CodeAnalysis;
using System.Net;
using BenchmarkDotNet.Attributes;
using TokenVerifier.Keys;
using TokenVerifier.Testing;

namespace TokenVerifier.Benchmarks;

/// <summary>
/// What one key refresh costs the app, the endpoint answering from memory: with the document unchanged since the last
/// one read (what a kid-miss flood causes every few seconds), and with a document that differs each time (what every
/// refresh cost before unchanged documents were recognised: parsing, vetting, two RSA key imports).
/// </summary>
[MemoryDiagnoser]
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet owns the lifetime: [GlobalCleanup] releases the fields; the class must stay unsealed.")]
public class KeyRefreshBenchmarks
{
    private LocalUserPool _pool = null!;
    private Document _document = null!;
    private SigningKeyCache _keys = null!;

    [GlobalSetup]
    public void Setup()
    {
        // Two published keys, as a Cognito pool publishes.
        _pool = new LocalUserPool("us-east-1_Refresh01");
        _pool.RotateKey(keepPreviousKey: true);
        _document = new Document(_pool.GetJwksJson());
        var client = new HttpClient(_document);
        _keys = new SigningKeyCache(_pool.JwksUri, new UserPoolValidationOptions { UserPoolId = _pool.UserPoolId }, () => client, TimeProvider.System, logger: null);
        if (!_keys.RefreshAsync().GetAwaiter().GetResult() || _keys.GetStatus().KeyCount != 2)
        {
            throw new InvalidOperationException("The benchmark's key set was not read.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _pool.Dispose();

    [Benchmark(Baseline = true, Description = "refresh, document changed (read in full)")]
    public async Task<bool> Changed()
    {
        _document.Change = true;
        return await _keys.RefreshAsync();
    }

    [Benchmark(Description = "refresh, document unchanged")]
    public async Task<bool> Unchanged()
    {
        _document.Change = false;
        return await _keys.RefreshAsync();
    }

    /// <summary>The endpoint: the same text, or (when <see cref="Change"/> is set) the text with one more space each time.</summary>
    private sealed class Document(string json) : HttpMessageHandler
    {
        private int _spaces;

        public bool Change { get; set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // Alternating between two texts is enough: each differs from the one read before it.
            _spaces = Change ? 1 - _spaces : _spaces;
            var body = _spaces == 0 ? json : json + " ";
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body) });
        }
    }
}
