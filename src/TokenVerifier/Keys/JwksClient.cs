using System.Buffers;
using System.Net.Http.Headers;
using System.Text;

namespace TokenVerifier.Keys;

/// <summary>
/// The transport under <see cref="SigningKeyCache"/>: one GET of the JWKS address within a time limit and a size cap.
/// Whatever goes wrong on the way comes back as a short reason, never as an exception.
/// </summary>
internal sealed class JwksClient(Uri address, Func<HttpClient> httpClientFactory, TimeProvider time, TimeSpan timeout, int maxBytes) : IJwksSource
{
    public Uri Address { get; } = address;

    public async Task<JwksDownload> DownloadAsync()
    {
        try
        {
            using var limit = new CancellationTokenSource(timeout, time);
            return await ReadAsync(limit.Token);
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

    private TimeSpan? RetryAfterOf(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow(),
        _ => null,
    };

    private async Task<JwksDownload> ReadAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Address);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await httpClientFactory().SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var status = (int)response.StatusCode;

        // A handler that follows redirects itself (one configured by the application in place of ours) must not bring keys
        // from another address either.
        if (response.RequestMessage?.RequestUri is { } answered && answered != Address)
        {
            return JwksDownload.Failed($"HTTP {status} from {answered.GetLeftPart(UriPartial.Path)} after a redirect, which is not followed");
        }

        if (status is >= 300 and < 400)
        {
            // Redirects are not followed (the named client's handler turns them off): keys come only from the configured
            // address, or an http loopback address could send us to keys anywhere.
            return JwksDownload.Failed($"HTTP {status}, a redirect, which is not followed");
        }

        if (!response.IsSuccessStatusCode)
        {
            return JwksDownload.Failed($"HTTP {status}", status is 429 or 503 ? RetryAfterOf(response) : null);
        }

        if (response.Content.Headers.ContentLength > maxBytes)
        {
            throw new FormatException($"the response is larger than {maxBytes} bytes");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);

        // Rented: a kid-miss flood refreshes every few seconds, and a fresh buffer of the whole cap each time was most of
        // what a refresh allocated.
        var buffer = ArrayPool<byte>.Shared.Rent(maxBytes + 1);
        try
        {
            var total = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(total, maxBytes + 1 - total), cancellationToken)) > 0)
            {
                total += read;
                if (total > maxBytes)
                {
                    throw new FormatException($"the response is larger than {maxBytes} bytes");
                }
            }

            return JwksDownload.Succeeded(new UTF8Encoding(false, true).GetString(buffer, 0, total));
        }
        catch (DecoderFallbackException e)
        {
            throw new FormatException("the response is not UTF-8 text", e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
