using System.Diagnostics;
using TokenVerifier.FixedRateClient;

// Valid requests at a fixed rate, open loop, as wrk2 sends them (wrk2 is not packaged for Debian): request i is due at
// start + i / rate whatever became of the ones before it, and its latency runs from when it was due, not from when a
// connection was free to send it, so a server that stalls is charged for every request that queued behind the stall
// (no coordinated omission). The first --warmup seconds are sent but not measured. Prints "name value" lines.
var settings = FixedRateSettings.Parse(args);
var requests = File.ReadLines(settings.TokensFile).Where(line => line.Length > 0).Select(token => LoadConnection.BuildRequest(settings.Url, token)).ToArray();
if (requests.Length == 0)
{
    throw new ArgumentException($"{settings.TokensFile} holds no token.");
}

var schedule = new Schedule(settings.Rate, settings.Warmup + settings.Duration, settings.Connections);
var measuredFrom = schedule.IndexAt(settings.Warmup);
var recorder = new LatencyRecorder(schedule.Lanes);
using var stop = new CancellationTokenSource();
var connections = new LoadConnection[schedule.Lanes];
for (var lane = 0; lane < connections.Length; lane++)
{
    connections[lane] = new LoadConnection(settings.Url);
    await connections[lane].ConnectAsync(stop.Token);
}

long unfinished = 0;
schedule.Start();
var lanes = Task.WhenAll(Enumerable.Range(0, schedule.Lanes).Select(lane => Task.Run(() => RunLane(lane))));

// A server that stops answering must not hold the script: what is still due 10 s after the end counts as unfinished.
if (await Task.WhenAny(lanes, Task.Delay(settings.Warmup + settings.Duration + TimeSpan.FromSeconds(10))) != lanes)
{
    await stop.CancelAsync();
    await lanes;
}

Console.Write(recorder.Report(settings.Rate, settings.Duration, unfinished));
foreach (var connection in connections)
{
    connection.Dispose();
}

return unfinished == 0 ? 0 : 2;

async Task RunLane(int lane)
{
    for (var index = (long)lane; index < schedule.Total; index += schedule.Lanes)
    {
        try
        {
            await schedule.WaitAsync(lane).WaitAsync(stop.Token);
            var sent = Stopwatch.GetTimestamp();
            var status = await connections[lane].SendAsync(requests[index % requests.Length], stop.Token);
            var done = Stopwatch.GetTimestamp();
            if (index >= measuredFrom)
            {
                recorder.Record(lane, done - schedule.DueAt(index), done - sent, status);
            }
        }
        catch (OperationCanceledException)
        {
            Interlocked.Add(ref unfinished, (schedule.Total - index + schedule.Lanes - 1) / schedule.Lanes);
            return;
        }
    }
}
