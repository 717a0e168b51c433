namespace TokenVerifier.Validation;

/// <summary>A time claim as read: absent, present with a usable value, or present but unusable.</summary>
internal readonly record struct NumericDate(NumericDateState State, double Seconds)
{
    // Year 9999: beyond it DateTimeOffset cannot represent the value, and no real token goes there.
    private const double MaxSeconds = 253402300799;

    public static NumericDate Parse(double seconds) =>
        double.IsFinite(seconds) && seconds >= 0 && seconds <= MaxSeconds
            ? new NumericDate(NumericDateState.Present, seconds)
            : new NumericDate(NumericDateState.Invalid, 0);

    public static NumericDate Invalid => new(NumericDateState.Invalid, 0);

    public DateTimeOffset ToDateTimeOffset() => DateTimeOffset.UnixEpoch.AddTicks((long)(Seconds * TimeSpan.TicksPerSecond));
}
