using TokenVerifier.AspNetCore.Authentication;

namespace TokenVerifier.AspNetCore.Tests.Authentication;

/// <summary>
/// Each delayed refusal waits the delay and up to half as long again, at random, so that connections a flood opened
/// together do not all come due together. (<see cref="RefusedTokenDelayTests"/> checks the bounds over real connections.)
/// </summary>
public sealed class RefusedTokenDelayJitterTests
{
    [Fact]
    public void A_delay_is_never_shorter_than_configured_nor_half_again_longer_and_is_spread_between()
    {
        var delay = TimeSpan.FromSeconds(1);
        var waits = Enumerable.Range(0, 10_000).Select(_ => ConnectionRefusals.Jittered(delay)).ToArray();

        Assert.All(waits, wait => Assert.InRange(wait, delay, delay * 1.5));
        Assert.True(waits.Max() < delay * 1.5, "a wait reached half again the delay");

        // Spread over the whole range: each tenth of it holds about a tenth of the waits.
        var tenths = waits.GroupBy(wait => (int)((wait - delay) / (delay / 20))).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(10, tenths.Count);
        Assert.All(tenths.Values, count => Assert.InRange(count, 700, 1_300));
    }

    [Fact]
    public void Zero_stays_zero()
    {
        Assert.Equal(TimeSpan.Zero, ConnectionRefusals.Jittered(TimeSpan.Zero));
    }
}
