using System.Reflection;
using System.Runtime.CompilerServices;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Parsing;

/// <summary>
/// A thread's validations reuse one parsed token: whatever one token left in it must be gone when the next takes it,
/// or a claim of one token could pass for another's. Every field is set here, by reflection so that fields added later
/// are covered too, and must come back as a new instance has it.
/// </summary>
public sealed class ParsedJwtTests
{
    private static readonly FieldInfo[] Fields = typeof(ParsedJwt).GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);

    [Fact]
    public void A_rented_parsed_token_keeps_nothing_of_the_one_given_back()
    {
        var used = ParsedJwt.Rent(1, 2);
        _ = used.Token;
        foreach (var field in Fields)
        {
            field.SetValue(used, Other(field.FieldType, field.GetValue(used)));
        }

        ParsedJwt.Return(used);
        var rented = ParsedJwt.Rent(7, 9);

        Assert.Same(used, rented);
        var fresh = new ParsedJwt { PayloadStart = 7, SignedLength = 9 };
        foreach (var field in Fields)
        {
            Assert.True(Equals(field.GetValue(fresh), field.GetValue(rented)), $"{field.Name} kept {field.GetValue(rented)} from the token before");
        }

        Assert.NotSame(used.Token, new ParsedJwt().Token);
    }

    [Fact]
    public void A_parsed_token_not_given_back_is_never_handed_out_again()
    {
        var first = ParsedJwt.Rent(1, 2);
        var second = ParsedJwt.Rent(1, 2);

        Assert.NotSame(first, second);
    }

    // A value of the field's type that differs from the one it has.
    private static object Other(Type type, object? current)
    {
        if (type == typeof(string))
        {
            return "left over";
        }

        if (type == typeof(bool))
        {
            return !(bool)current!;
        }

        if (type == typeof(int))
        {
            return (int)current! + 1000;
        }

        if (type == typeof(List<string>))
        {
            return new List<string> { "left over" };
        }

        if (type == typeof(NumericDate))
        {
            return new NumericDate(NumericDateState.Present, 12345);
        }

        if (type == typeof(PayloadString))
        {
            return new PayloadString(5, 6);
        }

        if (type == typeof(UserPoolToken))
        {
            return RuntimeHelpers.GetUninitializedObject(typeof(UserPoolToken));
        }

        throw new InvalidOperationException($"Give ParsedJwtTests a value for a field of type {type}.");
    }
}
