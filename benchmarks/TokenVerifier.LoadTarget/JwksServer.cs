using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using TokenVerifier.Testing;

namespace TokenVerifier.LoadTarget;

/// <summary>
/// The pool's JWKS on a loopback port of its own, so the app under load fetches its keys over real HTTP and every fetch
/// is counted where it lands; <c>GET /stats</c> beside it reports that count, when each fetch came, the collections
/// (each one's pause, on the same clock) and the process's memory (<c>?collect=true</c>: after a full, compacting
/// collection, i.e. what is retained).
/// </summary>
internal sealed class JwksServer : IAsyncDisposable
{
    private const string JwksPath = "/.well-known/jwks.json";

    private readonly WebApplication _app;
    private readonly List<long> _fetchedAt = [];
    private readonly GcTimeline _collections = new();
    private long _fetches;

    private JwksServer(WebApplication app) => _app = app;

    /// <summary>The base address, <c>http://127.0.0.1:port</c>.</summary>
    public string Address { get; private set; } = "";

    public string JwksUri => Address + JwksPath;

    public static async Task<JwksServer> StartAsync(LocalUserPool pool)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new JwksServer(app);
        // The load target never rotates its pool's keys: the document is written once, as an endpoint serves a file.
        var jwks = pool.GetJwksJson();
        app.MapGet(JwksPath, () =>
        {
            Interlocked.Increment(ref server._fetches);
            lock (server._fetchedAt)
            {
                server._fetchedAt.Add(Stopwatch.GetTimestamp());
            }

            return Results.Text(jwks, "application/json");
        });
        app.MapGet("/stats", (bool? collect) => Results.Text(server.Stats(collect == true)));
        await app.StartAsync();
        server.Address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return server;
    }

    public ValueTask DisposeAsync()
    {
        _collections.Dispose();
        return _app.DisposeAsync();
    }

    private string Stats(bool collect)
    {
        if (collect)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        }

        var info = GC.GetGCMemoryInfo();
        var text = new StringBuilder();
        void Line(string name, long value) => text.Append(name).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        Line("jwks-fetches", Interlocked.Read(ref _fetches));
        Line("gc-heap-bytes", GC.GetTotalMemory(forceFullCollection: false));
        Line("gc-committed-bytes", info.TotalCommittedBytes);
        Line("working-set-bytes", Environment.WorkingSet);
        Line("allocated-bytes", GC.GetTotalAllocatedBytes());
        Line("gen2-collections", GC.CollectionCount(2));
        Line("thread-pool-threads", ThreadPool.ThreadCount);
        Line("gen0-collections", GC.CollectionCount(0));
        Line("gen1-collections", GC.CollectionCount(1));
        Line("gc-pause-ms", (long)GC.GetTotalPauseDuration().TotalMilliseconds);

        // When each fetch arrived, on the machine's monotonic clock (Stopwatch ticks, shared with the fixed-rate
        // client's --series), to set the valid requests' latency beside the fetches.
        lock (_fetchedAt)
        {
            foreach (var at in _fetchedAt)
            {
                Line("jwks-fetch-at", at);
            }
        }

        // And each collection's pause: when it began (same clock), the generation, its length in microseconds.
        foreach (var pause in GcTimeline.Snapshot())
        {
            text.Append("gc-pause-at ").Append(pause.At.ToString(CultureInfo.InvariantCulture)).Append(' ')
                .Append(pause.Generation.ToString(CultureInfo.InvariantCulture)).Append(' ')
                .Append(pause.Microseconds.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return text.ToString();
    }
}
