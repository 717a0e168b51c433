using StackExchange.Redis;

namespace TokenVerifier.IntegrationTests.Redis;

/// <summary>Reads Redis directly, past the store, to see what was really written.</summary>
internal static class RedisProbe
{
    public static async Task<ConnectionMultiplexer> ConnectAsync(RedisServer server) =>
        await ConnectionMultiplexer.ConnectAsync(server.ConnectionString + ",allowAdmin=true");

    /// <summary>How many commands of each name the server has run so far (<c>INFO commandstats</c>).</summary>
    public static async Task<long> CommandCountAsync(ConnectionMultiplexer redis, string command)
    {
        var server = redis.GetServers()[0];
        var stats = await server.InfoAsync("commandstats");
        foreach (var group in stats)
        {
            foreach (var entry in group)
            {
                if (string.Equals(entry.Key, "cmdstat_" + command, StringComparison.OrdinalIgnoreCase))
                {
                    // calls=123,usec=...
                    var calls = entry.Value.Split(',')[0];
                    return long.Parse(calls["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }

        return 0;
    }
}
