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
var connections = new LoadConnection[schedule.Lanes];
for (var lane = 0; lane < connections.Length; lane++)
{
    connections[lane] = new LoadConnection(settings.Url);
    connections[lane].Connect();
}

long unfinished = 0;
schedule.Start();

// A server that stops answering must not hold the script: what is still due 10 s after the end counts as unfinished.
var end = schedule.DueAt(schedule.Total) + (10 * Stopwatch.Frequency);
var lanes = Enumerable.Range(0, schedule.Lanes).Select(lane => new Thread(() => RunLane(lane)) { IsBackground = true, Name = $"lane {lane}" }).ToArray();
foreach (var thread in lanes)
{
    thread.Start();
}

foreach (var thread in lanes)
{
    thread.Join();
}

Console.Write(recorder.Report(settings.Rate, settings.Duration, unfinished));
foreach (var connection in connections)
{
    connection.Dispose();
}

return unfinished == 0 ? 0 : 2;

// One thread a lane, sleeping until each of its requests is due.
void RunLane(int lane)
{
    Schedule.PrepareLaneThread();
    var free = 0L;
    for (var index = (long)lane; index < schedule.Total; index += schedule.Lanes)
    {
        if (Stopwatch.GetTimestamp() > end)
        {
            Abandon(index);
            return;
        }

        schedule.WaitUntilDue(index);
        var sent = Stopwatch.GetTimestamp();
        int status;
        try
        {
            status = connections[lane].Send(requests[index % requests.Length], end);
        }
        catch (OperationCanceledException)
        {
            Abandon(index);
            return;
        }

        var done = Stopwatch.GetTimestamp();
        if (index >= measuredFrom)
        {
            // From when the lane could have sent (due, or free after its previous answer if later) to when it did: the
            // client's own delay, which a server's slowness never causes.
            var due = schedule.DueAt(index);
            recorder.Record(lane, done - due, done - sent, sent - Math.Max(due, free), status);
        }

        free = done;
    }
}

// The lane's requests from index on, which it will not send: unfinished.
void Abandon(long index) => Interlocked.Add(ref unfinished, (schedule.Total - index + schedule.Lanes - 1) / schedule.Lanes);
