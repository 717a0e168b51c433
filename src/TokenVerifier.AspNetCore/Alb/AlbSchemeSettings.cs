using TokenVerifier.Alb;
using TokenVerifier.Validation;

namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>Turns a scheme's options into the validators' settings, and says everything wrong with them at start.</summary>
internal static class AlbSchemeSettings
{
    public static List<string> Validate(UserPoolAlbAuthenticationOptions options)
    {
        var errors = new List<string>();
        if (options.AllowedSigners.Count == 0)
        {
            errors.Add("AllowedSigners is empty: list the ARNs of the load balancers whose x-amzn-oidc-data is accepted.");
        }

        foreach (var arn in options.AllowedSigners)
        {
            var signer = AlbSignerArn.TryParse(arn, out var error);
            if (signer is null)
            {
                errors.Add($"AllowedSigners: '{arn}' {error}.");
            }
            else if (signer.Partition != "aws" && options.PublicKeyEndpoint == UserPoolAlbDefaults.PublicKeyEndpoint)
            {
                errors.Add($"AllowedSigners: '{arn}' is in partition {signer.Partition}, whose key endpoint is not public-keys.auth.elb.{{region}}.amazonaws.com: set PublicKeyEndpoint (see the Elastic Load Balancing documentation for the region).");
            }
        }

        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            errors.Add("ClientId is required: the app client of the listener rule.");
        }

        if (options.ValidateAccessToken || string.IsNullOrWhiteSpace(options.Issuer))
        {
            // The pool's own rules (id format, region, addresses), with the ALB's client as its one client.
            var pool = ToPool(options);
            pool.AllowAnyClient = true;
            pool.Validate("UserPool", errors);
        }

        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > UserPoolValidationOptions.MaxClockSkew)
        {
            errors.Add($"ClockSkew must be between 0 and {UserPoolValidationOptions.MaxClockSkew}.");
        }

        CheckEndpoint(options.PublicKeyEndpoint, errors);
        if (options.KeyFetchTimeout <= TimeSpan.Zero)
        {
            errors.Add("KeyFetchTimeout must be positive.");
        }

        if (options.KeyMaxResponseBytes is < 256 or > 1024 * 1024)
        {
            errors.Add("KeyMaxResponseBytes must be between 256 and 1048576.");
        }

        if (options.UnknownKidFetchesPerInterval is < 1 or > 100 || options.UnknownKidInterval <= TimeSpan.Zero)
        {
            errors.Add("UnknownKidFetchesPerInterval must be between 1 and 100, and UnknownKidInterval positive.");
        }

        if (options.MaxDataTokenLength is < 256 or > 1024 * 1024)
        {
            errors.Add("MaxDataTokenLength must be between 256 and 1048576.");
        }

        return errors;
    }

    public static AlbDataTokenSettings ToDataTokenSettings(UserPoolAlbAuthenticationOptions options)
    {
        var signers = new Dictionary<string, Uri>(StringComparer.Ordinal);
        foreach (var arn in options.AllowedSigners)
        {
            var signer = AlbSignerArn.TryParse(arn, out _)!;
            signers[arn] = KeyBase(options.PublicKeyEndpoint, signer.Region);
        }

        var issuers = new HashSet<string>(ToPool(options).GetIssuers(), StringComparer.Ordinal);
        return new AlbDataTokenSettings(signers, issuers, options.ClientId!, options.ClockSkew, options.MaxDataTokenLength);
    }

    public static AlbKeyCacheSettings ToKeyCacheSettings(UserPoolAlbAuthenticationOptions options) =>
        new(options.KeyFetchTimeout, options.KeyMaxResponseBytes, options.UnknownKidInterval, options.UnknownKidFetchesPerInterval, MaxKeys: 64);

    public static UserPoolValidationOptions ToAccessTokenOptions(UserPoolAlbAuthenticationOptions options, string scheme) => new()
    {
        UserPoolId = options.UserPoolId,
        Region = options.Region,
        Issuer = options.Issuer,
        JwksUri = options.JwksUri,
        ClientIds = [options.ClientId!],
        TokenUse = [TokenUses.Access],
        ClockSkew = options.ClockSkew,
        Revocation = options.Revocation,
        AuthenticationType = scheme,
    };

    // The region comes from the configured ARN: it is checked to be lowercase words and digits before it gets here.
    private static Uri KeyBase(string template, string region)
    {
        var address = template.Replace("{region}", region, StringComparison.Ordinal);
        return new Uri(address.EndsWith('/') ? address : address + "/", UriKind.Absolute);
    }

    private static UserPoolOptions ToPool(UserPoolAlbAuthenticationOptions options) => new()
    {
        UserPoolId = options.UserPoolId,
        Region = options.Region,
        Issuer = options.Issuer,
        JwksUri = options.JwksUri,
    };

    private static void CheckEndpoint(string? template, List<string> errors)
    {
        var sample = template?.Replace("{region}", "us-east-1", StringComparison.Ordinal);
        if (sample is null || !Uri.TryCreate(sample, UriKind.Absolute, out var uri) || uri.Query.Length > 0 || uri.Fragment.Length > 0
            || (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
        {
            errors.Add($"PublicKeyEndpoint '{template}' is not an absolute https URL without query (http only on loopback).");
        }
    }
}
