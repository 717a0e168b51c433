using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Parsing;

/// <summary>A value comes back only for the very bytes it was stored under, and a full slot is overwritten, not grown.</summary>
public sealed class Utf8TableTests
{
    [Fact]
    public void A_value_comes_back_only_for_its_own_bytes()
    {
        var table = new Utf8Table<string>(16);
        table.Set("issuer-a"u8, "A");

        Assert.True(table.TryGet("issuer-a"u8, out var value));
        Assert.Equal("A", value);
        Assert.False(table.TryGet("issuer-b"u8, out _));
        Assert.False(table.TryGet("issuer-a "u8, out _));
        Assert.False(table.TryGet(""u8, out _));
    }

    [Fact]
    public void A_table_of_one_slot_keeps_the_last_value_only()
    {
        var table = new Utf8Table<string>(1);
        table.Set("first"u8, "1");
        table.Set("second"u8, "2");

        Assert.False(table.TryGet("first"u8, out _));
        Assert.True(table.TryGet("second"u8, out var value));
        Assert.Equal("2", value);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    [InlineData(3)]
    [InlineData(1000)]
    public void A_size_that_is_not_a_power_of_two_is_refused(int slots) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Utf8Table<string>(slots));
}
