namespace TokenVerifier.Revocation;

/// <summary>
/// Which sign-in entries (<c>origin_jti</c>) each user (<c>sub</c> within its pool) holds in an in-memory store, so that one
/// user's entries can be counted and coalesced. Not thread-safe: the store locks it.
/// </summary>
internal sealed class SignInsByUser
{
    private readonly Dictionary<(string Pool, string Subject), List<string>> _byUser = [];

    /// <summary>The user's sign-in ids that <paramref name="isLive"/> still finds; the others are forgotten on the way.</summary>
    public List<string> Live(string pool, string subject, Func<string, bool> isLive)
    {
        if (!_byUser.TryGetValue((pool, subject), out var ids))
        {
            return [];
        }

        ids.RemoveAll(id => !isLive(id));
        if (ids.Count == 0)
        {
            _byUser.Remove((pool, subject));
        }

        return ids;
    }

    public void Remember(string pool, string subject, string originTokenId)
    {
        if (!_byUser.TryGetValue((pool, subject), out var ids))
        {
            _byUser[(pool, subject)] = ids = [];
        }

        if (!ids.Contains(originTokenId))
        {
            ids.Add(originTokenId);
        }
    }

    public void Forget(string pool, string subject) => _byUser.Remove((pool, subject));

    /// <summary>Forgets every id <paramref name="isHeld"/> (given the pool and the id) no longer finds, so the index never outgrows the entries.</summary>
    public void Prune(Func<string, string, bool> isHeld)
    {
        List<(string Pool, string Subject)>? empty = null;
        foreach (var (user, ids) in _byUser)
        {
            ids.RemoveAll(id => !isHeld(user.Pool, id));
            if (ids.Count == 0)
            {
                (empty ??= []).Add(user);
            }
        }

        foreach (var user in empty ?? [])
        {
            _byUser.Remove(user);
        }
    }
}
