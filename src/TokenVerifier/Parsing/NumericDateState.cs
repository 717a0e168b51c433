namespace TokenVerifier.Validation;

internal enum NumericDateState
{
    Missing = 0,
    Present,
    Invalid,
}
