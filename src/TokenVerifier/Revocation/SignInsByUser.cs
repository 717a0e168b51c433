namespace TokenVerifier.Revocation;

/// <summary>
/// Which sign-in entries (<c>origin_jti</c>) each user (<c>sub</c>) holds in an in-memory store, so that one user's entries
/// can be counted and coalesced. Not thread-safe: the store locks it.
/// </summary>
internal sealed class SignInsByUser
{
    private readonly Dictionary<string, List<string>> _byUser = new(StringComparer.Ordinal);

    /// <summary>The user's sign-in ids that <paramref name="isLive"/> still finds; the others are forgotten on the way.</summary>
    public List<string> Live(string subject, Func<string, bool> isLive)
    {
        if (!_byUser.TryGetValue(subject, out var ids))
        {
            return [];
        }

        ids.RemoveAll(id => !isLive(id));
        if (ids.Count == 0)
        {
            _byUser.Remove(subject);
        }

        return ids;
    }

    public void Remember(string subject, string originTokenId)
    {
        if (!_byUser.TryGetValue(subject, out var ids))
        {
            _byUser[subject] = ids = [];
        }

        if (!ids.Contains(originTokenId))
        {
            ids.Add(originTokenId);
        }
    }

    public void Forget(string subject) => _byUser.Remove(subject);

    /// <summary>Forgets every id <paramref name="isHeld"/> no longer finds, so the index never outgrows the entries.</summary>
    public void Prune(Func<string, bool> isHeld)
    {
        List<string>? empty = null;
        foreach (var (subject, ids) in _byUser)
        {
            ids.RemoveAll(id => !isHeld(id));
            if (ids.Count == 0)
            {
                (empty ??= []).Add(subject);
            }
        }

        foreach (var subject in empty ?? [])
        {
            _byUser.Remove(subject);
        }
    }
}
