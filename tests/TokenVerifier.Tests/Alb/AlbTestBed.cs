using System.Net;
using Microsoft.Extensions.Time.Testing;
using TokenVerifier.Alb;
using TokenVerifier.Testing;

namespace TokenVerifier.Tests.Alb;

/// <summary>A data-token validator wired to a <see cref="LocalAlb"/>'s key endpoint, on a fake clock.</summary>
internal sealed class AlbTestBed : IDisposable
{
    public const string Issuer = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_LocalPool1";
    public const string ClientId = "albclient0123456789abcdefgh";

    public AlbTestBed(int unknownKidFetchesPerInterval = 3, int maxResponseBytes = 8 * 1024, Func<HttpMessageHandler, HttpMessageHandler>? wrap = null)
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        Alb = new LocalAlb(Issuer, ClientId, timeProvider: Time);
        var handler = wrap is null ? Alb.CreateKeyEndpointHandler() : wrap(Alb.CreateKeyEndpointHandler());
        Keys = new AlbKeyCache(
            () => new HttpClient(handler, disposeHandler: false),
            new AlbKeyCacheSettings(TimeSpan.FromSeconds(5), maxResponseBytes, TimeSpan.FromSeconds(30), unknownKidFetchesPerInterval, MaxKeys: 4),
            Time,
            logger: null);
        Validator = new AlbDataTokenValidator(
            new AlbDataTokenSettings(
                new Dictionary<string, Uri> { [Alb.SignerArn] = Alb.KeyEndpoint },
                new HashSet<string> { Issuer },
                ClientId,
                TimeSpan.Zero,
                MaxTokenLength: 16 * 1024),
            Keys,
            Time);
    }

    public FakeTimeProvider Time { get; }

    public LocalAlb Alb { get; }

    public AlbKeyCache Keys { get; }

    public AlbDataTokenValidator Validator { get; }

    public async Task<AlbFailure> FailureOf(string data) => (await Validator.ValidateAsync(data, CancellationToken.None)).Failure;

    public void Dispose() => Alb.Dispose();
}
