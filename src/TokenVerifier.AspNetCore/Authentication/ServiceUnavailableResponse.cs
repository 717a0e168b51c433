using System.Text.Json;
using Microsoft.AspNetCore.Http;
using TokenVerifier.Validation;

namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>
/// The answer when we could not judge the token because something of ours is down: the signing keys could not be fetched
/// (<see cref="TokenFailure.KeysUnavailable"/>) or the revocation store could not answer (<see cref="TokenFailure.RevocationUnavailable"/>).
/// 503 + Retry-After: retrying the same token soon is the right move for the client; a 401 <c>invalid_token</c> would make
/// it discard the token and sign in again, which would not help and would load the user pool. Both handlers answer so.
/// </summary>
internal static class ServiceUnavailableResponse
{
    public static bool IsOutage(TokenFailure failure) => failure is TokenFailure.KeysUnavailable or TokenFailure.RevocationUnavailable;

    public static async Task WriteAsync(HttpContext context, string? detail)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.Headers.RetryAfter = "1";
        response.ContentType = "application/problem+json";
        await using var json = new Utf8JsonWriter(response.Body);
        json.WriteStartObject();
        json.WriteString("type", "https://tools.ietf.org/html/rfc9110#section-15.6.4");
        json.WriteString("title", "Service Unavailable");
        json.WriteNumber("status", StatusCodes.Status503ServiceUnavailable);
        if (detail is not null)
        {
            json.WriteString("detail", detail);
        }

        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }
}
