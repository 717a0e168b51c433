using System.Net.Http.Headers;
using System.Text;

namespace TokenVerifier.Keys;

/// <summary>
/// The transport under <see cref="SigningKeyCache"/>: one GET of the JWKS address within a time limit and a size cap.
/// Whatever goes wrong on the way comes back as a short reason, never as an exception.
/// </summary>
internal sealed class JwksClient(Uri address, Func<HttpClient> httpClientFactory, TimeProvider time, TimeSpan timeout, int maxBytes)
{
    public Uri Address { get; } = address;

    public async Task<JwksDownload> DownloadAsync()
    {
        try
        {
            using var limit = new CancellationTokenSource(timeout, time);
            return JwksDownload.Succeeded(await ReadAsync(limit.Token));
        }
        catch (Exception e)
        {
            // Whatever the HTTP pipeline throws (resilience strategies throw types of their own) is a failed fetch: it must
            // neither escape into a request being validated nor fault a background refresh.
            return JwksDownload.Failed(Describe(e));
        }
    }

    private string Describe(Exception e) => e switch
    {
        OperationCanceledException => $"no complete response within {timeout.TotalSeconds:0.###} s",
        FormatException f => f.Message,
        HttpRequestException h when h.StatusCode is not null => $"HTTP {(int)h.StatusCode}",
        HttpRequestException or IOException or InvalidOperationException => e.Message,
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    private async Task<string> ReadAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Address);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await httpClientFactory().SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"HTTP {(int)response.StatusCode}", null, response.StatusCode);
        }

        if (response.Content.Headers.ContentLength > maxBytes)
        {
            throw new FormatException($"the response is larger than {maxBytes} bytes");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[maxBytes + 1];
        var total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                throw new FormatException($"the response is larger than {maxBytes} bytes");
            }
        }

        try
        {
            return new UTF8Encoding(false, true).GetString(buffer, 0, total);
        }
        catch (DecoderFallbackException e)
        {
            throw new FormatException("the response is not UTF-8 text", e);
        }
    }
}
