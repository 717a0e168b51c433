using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace TokenVerifier.Validation;

/// <summary>
/// The events of <see cref="ValidationLog"/> for an unknown issuer, a wrong token use and a wrong client, with the
/// rejected values added: written instead of those when <see cref="UserPoolValidationOptions.LogRejectedClaimValues"/>
/// is on (same ids and names, so filters and alerts keep working). The values are attacker text: cut, escaped, and
/// never allowed to carry a segment of the token.
/// </summary>
internal static partial class RejectedValueLog
{
    public const int MaxValueLength = 128;

    public static void Rejected(ILogger logger, TokenFailure failure, string description, ReadOnlySpan<char> token, ParsedJwt jwt)
    {
        // Every event here is at Debug; the values are only worked out when it is written.
        if (!logger.IsEnabled(LogLevel.Debug))
        {
            return;
        }

        // Worked out once, here, behind the check above.
        var issuer = Safe(jwt.Issuer, token);
        var clientId = Safe(ClientOf(jwt), token);
        var tokenUse = Safe(jwt.TokenUse, token);
        switch (failure)
        {
            case TokenFailure.UnknownIssuer:
                UnknownIssuer(logger, description, issuer);
                break;
            case TokenFailure.InvalidTokenUse:
                InvalidTokenUse(logger, description, tokenUse, clientId);
                break;
            case TokenFailure.InvalidClient:
                InvalidClient(logger, description, clientId, tokenUse);
                break;
            default:
                ValidationLog.Rejected(logger, failure, description);
                break;
        }
    }

    // The client of an ID token is its audience; several audiences are shown together, and cut together.
    private static string? ClientOf(ParsedJwt jwt) =>
        jwt.TokenUse == TokenUses.Id && jwt.Audiences is { Count: > 0 } audiences ? string.Join(' ', audiences) : jwt.ClientId;

    /// <summary>
    /// <paramref name="value"/> quoted, cut at <see cref="MaxValueLength"/> characters and with control, format and
    /// separator characters, lone surrogates, backslashes and quotes escaped (<c>\uXXXX</c>), so one log line stays one
    /// line and shows what was sent; "(none)" when absent; "(withheld ...)" when it contains a segment of the token.
    /// </summary>
    public static string Safe(string? value, ReadOnlySpan<char> token)
    {
        if (value is null)
        {
            return "(none)";
        }

        // A forged token may repeat its own header or signature in a claim; that text must not reach the log either.
        foreach (var range in token.Split('.'))
        {
            var segment = token[range];
            if (segment.Length >= 8 && value.AsSpan().Contains(segment, StringComparison.Ordinal))
            {
                return "(withheld: contains part of the token)";
            }
        }

        var length = Math.Min(value.Length, MaxValueLength);
        if (length < value.Length && char.IsHighSurrogate(value[length - 1]))
        {
            length--;
        }

        var text = new StringBuilder(length + 8).Append('\'');
        for (var i = 0; i < length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < length && char.IsLowSurrogate(value[i + 1]))
            {
                text.Append(c).Append(value[++i]);
            }
            else if (c is '\\' or '\'' || char.IsSurrogate(c) || char.IsControl(c) || IsInvisible(c))
            {
                text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                text.Append(c);
            }
        }

        text.Append('\'');
        if (length < value.Length)
        {
            text.Append(CultureInfo.InvariantCulture, $"... ({value.Length} characters)");
        }

        return text.ToString();
    }

    // Bidirectional overrides and zero-width characters would make a log line read differently from what was sent.
    private static bool IsInvisible(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    [LoggerMessage(EventId = 1106, EventName = nameof(TokenFailure.UnknownIssuer), Level = LogLevel.Debug, Message = "Rejected a token of an unknown issuer. {Description} Issuer: {Issuer}.")]
    private static partial void UnknownIssuer(ILogger logger, string description, string issuer);

    [LoggerMessage(EventId = 1114, EventName = nameof(TokenFailure.InvalidTokenUse), Level = LogLevel.Debug, Message = "Rejected a token of a token_use that is not accepted. {Description} token_use: {TokenUse}, client: {ClientId}.")]
    private static partial void InvalidTokenUse(ILogger logger, string description, string tokenUse, string clientId);

    [LoggerMessage(EventId = 1115, EventName = nameof(TokenFailure.InvalidClient), Level = LogLevel.Debug, Message = "Rejected a token of an app client that is not allowed. {Description} Client: {ClientId}, token_use: {TokenUse}.")]
    private static partial void InvalidClient(ILogger logger, string description, string clientId, string tokenUse);
}
