using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using TokenVerifier.Testing;
using Xunit.Abstractions;

namespace TokenVerifier.AspNetCore.Tests.Reload;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReloadLoadRunsAlone
{
    // Alone, so the heap it measures is its own.
    public const string Name = "Reload load";
}

/// <summary>
/// Many tenants with pools changing under load: 500 configured pools, 10,000 tokens spread over them and over the 50
/// pools a reload adds mid-run (while it removes 50 others), sent by concurrent clients to Kestrel over loopback. Every
/// answer must be the one the configuration in force for that request gives; only a request that was under way while
/// the reload was applied may get either answer, and only for a token of a pool the reload changed.
/// </summary>
[Collection(ReloadLoadRunsAlone.Name)]
public sealed class ReloadLoadTests(ITestOutputHelper output)
{
    private const int ConfiguredPools = 500;
    private const int Changed = 50;
    private const int Strangers = 5;
    private const int Tokens = 10_000;
    private const int StrangerTokens = 100;
    private const int Clients = 8;
    private const int SharedKeys = 4;

    // Generous: the validated-token cache holds up to 10,000 entries of about 4 KB; a leak of the replaced validator,
    // its cache or the key caches of removed pools would show as a multiple of that.
    private const long MaxGrowthBytes = 200L * 1024 * 1024;

    private enum Kind
    {
        Kept,
        Removed,
        Added,
        Stranger,
    }

    [Fact]
    public async Task Five_hundred_pools_and_a_reload_adding_and_removing_fifty_mid_run_give_no_wrong_answer()
    {
        var watch = Stopwatch.StartNew();

        // Pools 0-49 are removed by the reload, 50-499 kept, 500-549 added; 550-554 are never configured.
        var keys = Enumerable.Range(0, SharedKeys).Select(_ => RSA.Create(2048)).ToArray();
        var pools = Enumerable.Range(0, ConfiguredPools + Changed + Strangers)
            .Select(i => new LocalUserPool(string.Create(CultureInfo.InvariantCulture, $"us-east-1_Load{i:D5}"), keys[i % SharedKeys], string.Create(CultureInfo.InvariantCulture, $"k{i % SharedKeys}")))
            .ToArray();
        foreach (var key in keys)
        {
            key.Dispose();
        }

        var created = watch.Elapsed;

        static Kind KindOf(int pool) => pool < Changed ? Kind.Removed : pool < ConfiguredPools ? Kind.Kept : pool < ConfiguredPools + Changed ? Kind.Added : Kind.Stranger;
        var work = Mint(pools);
        var minted = watch.Elapsed;

        await using var host = await ReloadHost.StartAsync(new JwksRouter(pools), ReloadHost.Trusting(pools[..ConfiguredPools]), TimeProvider.System, kestrel: true);
        var heapBefore = SettledHeap();

        // 0: before the reload; 1: being applied; 2: applied (Replace returns once the new configuration is in force).
        var phase = 0;
        var next = -1;
        var answers = new (int Status, int PhaseAtStart, int PhaseAtEnd)[work.Length];
        Task reload = Task.CompletedTask;
        var clients = Enumerable.Range(0, Clients).Select(_ => host.CreateClient()).ToArray();
        var run = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select(client => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) is var i && i < work.Length)
            {
                if (i == work.Length / 2)
                {
                    reload = Task.Run(() =>
                    {
                        Volatile.Write(ref phase, 1);
                        host.Configuration.Replace(ReloadHost.Trusting(pools[Changed..(ConfiguredPools + Changed)]));
                        Volatile.Write(ref phase, 2);
                    });
                }

                var atStart = Volatile.Read(ref phase);
                using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", work[i].Token);
                using var response = await client.SendAsync(request);
                answers[i] = ((int)response.StatusCode, atStart, Volatile.Read(ref phase));
            }
        })));
        await reload;
        var elapsed = run.Elapsed;
        foreach (var client in clients)
        {
            client.Dispose();
        }

        var wrong = 0;
        var either = 0;
        var afterReload = new Dictionary<Kind, int>();
        for (var i = 0; i < work.Length; i++)
        {
            var kind = KindOf(work[i].Pool);
            var (status, atStart, atEnd) = answers[i];
            bool? accepted = kind switch
            {
                Kind.Kept => true,
                Kind.Stranger => false,
                Kind.Removed => atEnd == 0 ? true : atStart == 2 ? false : null,
                _ => atEnd == 0 ? false : atStart == 2 ? true : null,
            };
            if (atStart == 2)
            {
                afterReload[kind] = afterReload.GetValueOrDefault(kind) + 1;
            }

            if (accepted is null)
            {
                either++;
                wrong += status is 200 or 401 ? 0 : 1;
            }
            else if (status != (accepted.Value ? 200 : 401))
            {
                wrong++;
                if (wrong <= 5)
                {
                    output.WriteLine($"wrong: request {i}, {kind} pool {work[i].Pool}, status {status}, phase {atStart}->{atEnd}");
                }
            }
        }

        // Every pool's keys were fetched once, while it was configured: none for a stranger, none again for a removed pool.
        var fetches = host.Keys.Requests;
        var fetchedOnce = pools[..(ConfiguredPools + Changed)].Count(p => fetches.GetValueOrDefault(p.UserPoolId) == 1);
        var strangerFetches = pools[(ConfiguredPools + Changed)..].Sum(p => fetches.GetValueOrDefault(p.UserPoolId));
        var keyCaches = host.KeyCaches.Caches.Count;
        var heapAfter = SettledHeap();

        output.WriteLine($"pools: {ConfiguredPools} configured, reload mid-run removing {Changed} and adding {Changed}; {Strangers} never configured");
        output.WriteLine($"requests: {work.Length} ({Tokens} tokens of configured pools, {StrangerTokens} of strangers) from {Clients} clients over Kestrel loopback in {elapsed.TotalSeconds:0.0} s ({work.Length / elapsed.TotalSeconds:0} req/s); creating the pools took {created.TotalSeconds:0.0} s, minting {(minted - created).TotalSeconds:0.0} s");
        output.WriteLine($"wrong answers: {wrong}; under way during the reload (either answer allowed, changed pools only): {either}");
        output.WriteLine($"started after the reload: {string.Join(", ", afterReload.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}"))}");
        output.WriteLine($"key fetches: {host.Keys.TotalRequests} in all; {fetchedOnce} of {ConfiguredPools + Changed} pools fetched exactly once; strangers {strangerFetches}; key caches held after the run {keyCaches}");
        output.WriteLine($"managed heap after full GC: {heapBefore / 1024 / 1024.0:0.0} MB before the run, {heapAfter / 1024 / 1024.0:0.0} MB after (growth {(heapAfter - heapBefore) / 1024 / 1024.0:0.0} MB, bound {MaxGrowthBytes / 1024 / 1024} MB)");
        output.WriteLine($"total test time {watch.Elapsed.TotalSeconds:0.0} s");

        Assert.Equal(0, wrong);
        Assert.True(afterReload.GetValueOrDefault(Kind.Removed) > 100, "too few tokens of removed pools were sent after the reload");
        Assert.True(afterReload.GetValueOrDefault(Kind.Added) > 100, "too few tokens of added pools were sent after the reload");
        Assert.Equal(ConfiguredPools + Changed, fetchedOnce);
        Assert.Equal(0, strangerFetches);
        Assert.Equal(ConfiguredPools + Changed, host.Keys.TotalRequests);
        Assert.Equal(ConfiguredPools, keyCaches);
        Assert.True(heapAfter - heapBefore < MaxGrowthBytes, $"the heap grew by {heapAfter - heapBefore} bytes");

        foreach (var pool in pools)
        {
            pool.Dispose();
        }
    }

    // Tokens of the 550 pools ever configured, spread evenly, then the strangers', in a fixed shuffled order.
    private static (int Pool, string Token)[] Mint(LocalUserPool[] pools)
    {
        var ever = ConfiguredPools + Changed;
        var work = new (int Pool, string Token)[Tokens + StrangerTokens];

        // One pool per worker at a time: a pool's minting is not meant to be shared.
        Parallel.For(0, pools.Length, pool =>
        {
            if (pool < ever)
            {
                for (var i = pool; i < Tokens; i += ever)
                {
                    work[i] = (pool, pools[pool].MintAccessToken());
                }
            }
            else
            {
                for (var i = pool - ever; i < StrangerTokens; i += Strangers)
                {
                    work[Tokens + i] = (pool, pools[pool].MintAccessToken());
                }
            }
        });

        new Random(15).Shuffle(work);
        return work;
    }

    private static long SettledHeap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
