using System.Security.Cryptography;
using System.Text;
using TokenVerifier.Alb;
using TokenVerifier.Testing;

namespace TokenVerifier.Tests.Alb;

/// <summary>A test bed per test, and headers and payloads written by hand for hostile tokens.</summary>
public abstract class AlbDataTokenTestBase : IDisposable
{
    private protected AlbTestBed Bed { get; } = new();

    protected LocalAlb Alb => Bed.Alb;

    public void Dispose()
    {
        Bed.Dispose();
        GC.SuppressFinalize(this);
    }

    internal static string Unpadded(byte[] bytes) => LocalAlb.EncodeSegment(bytes).TrimEnd('=');

    protected string HeaderValue(string member) => member switch
    {
        "exp" => (Bed.Time.GetUtcNow() + TimeSpan.FromMinutes(2)).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
        "iss" => $"\"{AlbTestBed.Issuer}\"",
        "client" => $"\"{AlbTestBed.ClientId}\"",
        "signer" => $"\"{Alb.SignerArn}\"",
        "kid" => $"\"{Alb.KeyId}\"",
        "alg" => "\"ES256\"",
        _ => throw new ArgumentOutOfRangeException(nameof(member)),
    };

    protected string Header(string? without = null, string? extra = null)
    {
        var members = new[] { "alg", "kid", "signer", "iss", "client", "exp" }
            .Where(m => m != without)
            .Select(m => $"\"{m}\":{HeaderValue(m)}")
            .ToList();
        if (extra is not null)
        {
            members.Add(extra);
        }

        return "{" + string.Join(",", members) + "}";
    }

    protected static string Payload(string? extra = null) =>
        "{\"sub\":\"alb-user\",\"username\":\"alice\"" + (extra is null ? "" : "," + extra) + "}";
}
