namespace TokenVerifier.Keys;

/// <summary>What a refresh changed: kids no longer published, kids published with other material, and how many kids are new.</summary>
internal readonly record struct KeySetChanges(IReadOnlyList<string> Removed, IReadOnlyList<string> Replaced, int Added)
{
    /// <summary>Every kid whose previous key no longer verifies: a replacement is a removal plus an addition.</summary>
    public IReadOnlyList<string> Retired => Replaced.Count == 0 ? Removed : Removed.Count == 0 ? Replaced : [.. Removed, .. Replaced];
}
