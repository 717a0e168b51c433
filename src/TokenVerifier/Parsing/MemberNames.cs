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

    /// <summary>False when a name of hash <paramref name="hash"/> was seen before in this object.</summary>
    public bool Add(int hash)
    {
        if (_hashes[.._count].Contains(hash) || (_overflow is not null && _overflow.Contains(hash)))
        {
            return false;
        }

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
