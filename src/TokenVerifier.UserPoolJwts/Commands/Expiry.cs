using System.Globalization;
using System.Text.RegularExpressions;

namespace TokenVerifier.UserPoolJwts.Commands;

/// <summary>
/// When a minted token expires: a duration from now (<c>30m</c>, <c>8h</c>, <c>7d</c>, <c>90s</c> or
/// <c>[d.]hh:mm[:ss]</c>) or a date (<c>2026-12-31</c>, <c>2026-12-31T18:00:00Z</c>; UTC unless it names an offset).
/// </summary>
internal readonly partial record struct Expiry(TimeSpan? Duration, DateTimeOffset? Date)
{
    public const string Syntax = "a duration (30m, 8h, 7d, 90s, 01:30:00) or a date (2026-12-31, 2026-12-31T18:00:00Z)";

    public static bool TryParse(string text, out Expiry expiry, out string error)
    {
        expiry = default;
        error = "";
        Match unit = UnitDuration().Match(text);
        if (unit.Success)
        {
            long amount = long.Parse(unit.Groups["amount"].Value, CultureInfo.InvariantCulture);
            double seconds = unit.Groups["unit"].Value switch
            {
                "s" => amount,
                "m" => amount * 60.0,
                "h" => amount * 3600.0,
                _ => amount * 86400.0,
            };
            return Positive(TimeSpan.FromSeconds(Math.Min(seconds, TimeSpan.MaxValue.TotalSeconds / 2)), text, ref expiry, ref error);
        }

        // A dash past the sign belongs to a date.
        if (text.Contains(':', StringComparison.Ordinal) && !text.TrimStart('-').Contains('-', StringComparison.Ordinal)
            && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out TimeSpan span))
        {
            return Positive(span, text, ref expiry, ref error);
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset date))
        {
            expiry = new Expiry(null, date);
            return true;
        }

        error = $"'{text}' is not {Syntax}.";
        return false;
    }

    /// <summary>The token's lifetime if minted at <paramref name="now"/>: it must end after it.</summary>
    public TimeSpan LifetimeFrom(DateTimeOffset now)
    {
        TimeSpan lifetime = Duration ?? Date!.Value - now;
        return lifetime > TimeSpan.Zero
            ? lifetime
            : throw new UserPoolJwtsException($"--expires {Date!.Value:O} is not in the future.");
    }

    private static bool Positive(TimeSpan span, string text, ref Expiry expiry, ref string error)
    {
        if (span <= TimeSpan.Zero)
        {
            error = $"'{text}' is not a positive duration.";
            return false;
        }

        expiry = new Expiry(span, null);
        return true;
    }

    [GeneratedRegex(@"^(?<amount>[0-9]{1,9})(?<unit>[smhd])$", RegexOptions.CultureInvariant)]
    private static partial Regex UnitDuration();
}
