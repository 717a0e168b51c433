using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Validation;

public sealed class StripedCounterTests
{
    public static TheoryData<int> Stripes => [0, 1, 2];

    // 0: as the cache makes it (sized to the machine). One stripe makes every thread share it, so a lost update would show.
    [Theory]
    [MemberData(nameof(Stripes))]
    public async Task Increments_racing_on_many_threads_are_all_counted(int stripes)
    {
        var counter = stripes == 0 ? new StripedCounter() : new StripedCounter(stripes);
        Assert.Equal(0, counter.Read());

        const int threads = 16;
        const int each = 50_000;
        using var start = new Barrier(threads);
        await Task.WhenAll(Enumerable.Range(0, threads).Select(_ => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                for (var i = 0; i < each; i++)
                {
                    counter.Increment();
                }
            },
            TaskCreationOptions.LongRunning)));

        Assert.Equal(threads * each, counter.Read());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(-2)]
    public void Stripes_must_be_a_power_of_two(int stripes) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new StripedCounter(stripes));
}
