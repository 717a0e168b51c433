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

var schedule = new Schedule(settings.Rate, settings.Warmup + settings.Duration);
var measuredFrom = schedule.IndexAt(settings.Warmup);
var recorder = new LatencyRecorder((int)(schedule.Total - measuredFrom));
var connections = new LoadConnection[settings.Connections];
for (var c = 0; c < connections.Length; c++)
{
    connections[c] = new LoadConnection(settings.Url);
    connections[c].Connect();
}

schedule.Start();
var unfinished = new Dispatcher(schedule, connections, requests, recorder, measuredFrom).Run();
Console.Write(recorder.Report(settings.Rate, settings.Duration, unfinished));
if (settings.SeriesFile is { } series)
{
    recorder.WriteSeries(series);
}

foreach (var connection in connections)
{
    connection.Dispose();
}

return unfinished == 0 ? 0 : 2;
