using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TokenVerifier.Diagnostics;

namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>
/// How many tokens in a row each connection sent that were refused, for <see cref="UserPoolAuthenticationOptions.RefusedTokenDelay"/>.
/// The count is kept beside the connection's items dictionary, which lives exactly as long as the connection: a closed
/// connection's count goes with it, and nothing is written into the dictionary the server and the app share (HTTP/2
/// streams of one connection would write it concurrently).
/// </summary>
internal static class ConnectionRefusals
{
    private static readonly ConditionalWeakTable<object, Streak> Streaks = new();
    private static readonly object CountedMark = new();
    private static readonly Lock ItemsGate = new();

    /// <summary>
    /// Counts a refused token on the request's connection and, past <see cref="UserPoolAuthenticationOptions.RefusedTokensBeforeDelay"/>
    /// in a row, waits <see cref="UserPoolAuthenticationOptions.RefusedTokenDelay"/> and up to half as long again
    /// (<see cref="Jittered"/>; less if the client goes away first).
    /// Does nothing on a server that keeps no items per connection.
    /// </summary>
    public static async ValueTask RefusedAsync(HttpContext context, UserPoolAuthenticationOptions options, TimeProvider time, ILogger logger, string scheme)
    {
        // A token two schemes refuse in one request (a policy naming both) counts, and waits, once.
        if (context.Features.Get<IConnectionItemsFeature>() is not { } connection || context.Items.ContainsKey(CountedMark))
        {
            return;
        }

        // Kestrel makes a connection's items dictionary on first use, unsynchronised: HTTP/2 streams arriving together on
        // a new connection would each make one and count apart. Refusals take the dictionary one at a time; accepted
        // tokens, which only look, need no lock.
        IDictionary<object, object?> items;
        lock (ItemsGate)
        {
            items = connection.Items;
        }

        context.Items[CountedMark] = null;

        var refused = Interlocked.Increment(ref Streaks.GetValue(items, static _ => new Streak()).Refused);
        if (refused <= options.RefusedTokensBeforeDelay)
        {
            return;
        }

        if (refused == options.RefusedTokensBeforeDelay + 1)
        {
            RefusedTokenDelayLog.Delaying(logger, context.Connection.Id, scheme, options.RefusedTokensBeforeDelay, (long)options.RefusedTokenDelay.TotalMilliseconds);
        }

        context.RequestServices.GetService<TokenVerifierMetrics>()?.RecordDelayedRefusal(scheme);
        try
        {
            await Task.Delay(Jittered(options.RefusedTokenDelay), time, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client left; the refusal goes nowhere, and nothing else waits on it.
        }
    }

    /// <summary>
    /// The delay and up to half as long again, at random. With the same delay for every refusal, connections that a
    /// flood opened together stay in step: each second all of them were answered at once and sent their next forged token
    /// together, and the burst held valid requests on a one-core app for 5–8 ms (benchmarks/flood, 2026-12-02).
    /// </summary>
    internal static TimeSpan Jittered(TimeSpan delay) => delay + (delay * (Random.Shared.NextDouble() / 2));

    /// <summary>A token on the request's connection was accepted: its refusals start again from zero.</summary>
    public static void Accepted(HttpContext context)
    {
        if (context.Features.Get<IConnectionItemsFeature>()?.Items is { } items && Streaks.TryGetValue(items, out var streak))
        {
            Volatile.Write(ref streak.Refused, 0);
        }
    }

    private sealed class Streak
    {
        // long: a connection kept open for years at a millisecond's delay still never wraps to "not yet".
        public long Refused;
    }
}
