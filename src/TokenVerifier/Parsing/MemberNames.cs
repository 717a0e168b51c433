namespace TokenVerifier.Validation;

/// <summary>
/// The member names seen so far in one JSON object. Duplicate members are rejected outright: parsers disagree on which
/// copy wins, and that disagreement is an attack. Names are kept as hashes in a stack buffer; a hash collision can only
/// reject a token, never accept one. The hashes of one object must all come from the same function: exact, or ignoring
/// case where claims are looked up ignoring case, so that <c>Username</c> before <c>username</c> cannot become the
/// user's name (<see cref="InternedNames"/> gives either for a member name).
/// </summary>
internal ref struct MemberNames(Span<int> buffer)
{
    private readonly Span<int> _hashes = buffer;
    private int _count;
    private HashSet<int>? _overflow;
    private ulong _known;
    private bool _unknownSeen;

    /// <summary>
    /// As <see cref="Add(int)"/>, for a name <see cref="InternedNames"/> also told apart as <paramref name="known"/>: a
    /// known name (written exactly) is looked for among the known ones by its number, and among the hashes only when a
    /// name it does not know (which may be a case variant), or one added without saying, came before. A claims set as
    /// issuers write it has only known names, so no hash is searched.
    /// </summary>
    public bool Add(int hash, KnownName known)
    {
        if (known == KnownName.None)
        {
            return Add(hash);
        }

        // KnownName has fewer than 64 members.
        var bit = 1UL << (int)known;
        if ((_known & bit) != 0 || (_unknownSeen && Contains(hash)))
        {
            return false;
        }

        _known |= bit;
        return Keep(hash);
    }

    /// <summary>False when a name of hash <paramref name="hash"/> was seen before in this object.</summary>
    public bool Add(int hash)
    {
        _unknownSeen = true;
        return !Contains(hash) && Keep(hash);
    }

    private readonly bool Contains(int hash) =>
        _hashes[.._count].Contains(hash) || (_overflow is not null && _overflow.Contains(hash));

    // Only after Contains said no; false only when the overflow already held it.
    private bool Keep(int hash)
    {
        if (_count < _hashes.Length)
        {
            _hashes[_count++] = hash;
            return true;
        }

        // Rare: ID tokens with many custom attributes.
        _overflow ??= [];
        return _overflow.Add(hash);
    }
}
