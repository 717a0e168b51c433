using System.Text.Json;
using System.Xml;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TokenVerifier.Keys;

namespace TokenVerifier.AspNetCore.Health;

/// <summary>
/// Writes a health report as JSON without telling strangers how the service is built: anonymous callers get the overall
/// status only (<c>{"status":"Healthy"}</c>); each check's description, data (key addresses, fetch errors) and error go only
/// to requests from loopback that carry no forwarded-for header, or to callers meeting a policy the application names.
/// Times are ISO 8601. Use it as <c>new HealthCheckOptions { ResponseWriter = UserPoolHealthResponseWriter.Create("ops") }</c>.
/// </summary>
public static class UserPoolHealthResponseWriter
{
    /// <summary>A response writer that shows details to local requests and to callers meeting <paramref name="detailsPolicy"/>.</summary>
    /// <param name="detailsPolicy">A named authorization policy whose callers see the details from anywhere; null for local requests only.</param>
    public static Func<HttpContext, HealthReport, Task> Create(string? detailsPolicy = null) =>
        (context, report) => WriteAsync(context, report, detailsPolicy);

    /// <summary>Writes <paramref name="report"/>, with details only for local requests.</summary>
    /// <param name="context">The request.</param>
    /// <param name="report">The health report.</param>
    public static Task WriteAsync(HttpContext context, HealthReport report) => WriteAsync(context, report, detailsPolicy: null);

    private static async Task WriteAsync(HttpContext context, HealthReport report, string? detailsPolicy)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(report);
        var details = LocalRequest.IsLocal(context) || (detailsPolicy is not null && await MeetsAsync(context, detailsPolicy));

        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        if (details)
        {
            json.WriteNumber("durationMs", Math.Round(report.TotalDuration.TotalMilliseconds, 3));
            json.WriteStartObject("checks");
            foreach (var (name, entry) in report.Entries)
            {
                json.WriteStartObject(name);
                json.WriteString("status", entry.Status.ToString());
                json.WriteString("description", entry.Description);
                json.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 3));
                if (entry.Exception is { } error)
                {
                    json.WriteString("error", $"{error.GetType().Name}: {error.Message}");
                }

                json.WriteStartObject("data");
                foreach (var (key, value) in entry.Data)
                {
                    json.WritePropertyName(key);
                    WriteValue(json, value);
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }

    private static async Task<bool> MeetsAsync(HttpContext context, string policyName)
    {
        var services = context.RequestServices;
        var policy = await services.GetRequiredService<IAuthorizationPolicyProvider>().GetPolicyAsync(policyName)
            ?? throw new InvalidOperationException($"The health details policy '{policyName}' is not registered.");
        var evaluator = services.GetRequiredService<IPolicyEvaluator>();
        var authenticated = await evaluator.AuthenticateAsync(policy, context);
        var authorized = await evaluator.AuthorizeAsync(policy, authenticated, context, resource: context);
        return authorized.Succeeded;
    }

    // Written member by member: a record's ToString() is not JSON, and reflection-based serialization is not trimmable.
    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string text:
                json.WriteStringValue(text);
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case int or long or short or byte or uint or ulong or ushort:
                json.WriteNumberValue(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case double or float or decimal:
                json.WriteNumberValue(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset at:
                json.WriteStringValue(at);
                break;
            case DateTime at:
                json.WriteStringValue(at);
                break;
            case TimeSpan span:
                json.WriteStringValue(XmlConvert.ToString(span));
                break;
            case Uri uri:
                json.WriteStringValue(uri.ToString());
                break;
            case SigningKeyCacheStatus keys:
                json.WriteStartObject();
                json.WriteString("jwksUri", keys.JwksUri.ToString());
                json.WriteString("state", keys.State.ToString());
                json.WriteNumber("keyCount", keys.KeyCount);
                WriteTime(json, "lastRefreshed", keys.LastRefreshed);
                WriteTime(json, "lastFailure", keys.LastFailure);
                json.WriteString("lastError", keys.LastError);
                json.WriteNumber("fetchCount", keys.FetchCount);
                WriteTime(json, "keySetDate", keys.KeySetDate);
                json.WriteEndObject();
                break;
            case Enum choice:
                json.WriteStringValue(choice.ToString());
                break;
            default:
                json.WriteStringValue(value.ToString());
                break;
        }
    }

    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? at)
    {
        if (at is { } time)
        {
            json.WriteString(name, time);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
