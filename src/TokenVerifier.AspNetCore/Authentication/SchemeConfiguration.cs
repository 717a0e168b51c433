using TokenVerifier.Validation;

namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>
/// One scheme's configuration in force: the handler's options and the validator built from the same reading of the
/// configuration. Each validation leases it; when a reload replaces it, its validator is disposed once the last
/// validation that started on it has ended, so a token being validated when a reload lands is answered by the
/// configuration it started with.
/// </summary>
internal sealed class SchemeConfiguration(UserPoolAuthenticationOptions options, UserPoolTokenValidator validator)
{
    // One for being in force, plus one per validation under way. At zero the validator is disposed and no lease is taken.
    private int _references = 1;

    public UserPoolAuthenticationOptions Options { get; } = options;

    public UserPoolTokenValidator Validator { get; } = validator;

    /// <summary>Counts a validation in; false once the configuration was replaced and its last validation ended.</summary>
    public bool TryLease()
    {
        var current = Volatile.Read(ref _references);
        while (current > 0)
        {
            var seen = Interlocked.CompareExchange(ref _references, current + 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    /// <summary>Ends a lease, or (called once, by whoever replaced it) the configuration's being in force.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            Validator.Dispose();
        }
    }
}
