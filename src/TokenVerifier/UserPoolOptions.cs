using System.Text.RegularExpressions;

namespace TokenVerifier;

/// <summary>One Cognito user pool whose tokens are accepted.</summary>
public sealed partial class UserPoolOptions
{
    /// <summary>The pool id, for example <c>us-east-1_AbC123</c>. Its prefix is the region.</summary>
    public string? UserPoolId { get; set; }

    /// <summary>The pool's primary region. Optional: derived from <see cref="UserPoolId"/> when not set.</summary>
    public string? Region { get; set; }

    /// <summary>The app client ids whose tokens are accepted (<c>client_id</c> of access tokens, <c>aud</c> of ID tokens).</summary>
    public IList<string> ClientIds { get; set; } = new List<string>();

    /// <summary>Accept tokens of every app client of the pool. Off by default: an empty <see cref="ClientIds"/> is then a configuration error.</summary>
    public bool AllowAnyClient { get; set; }

    /// <summary>Overrides the issuer (emulators, proxies, tests). When set, only this issuer is accepted for the pool.</summary>
    public string? Issuer { get; set; }

    /// <summary>Overrides the JWKS address. Default: <c>{issuer}/.well-known/jwks.json</c>.</summary>
    public string? JwksUri { get; set; }

    /// <summary>
    /// The pool's key set (a JWKS document, <c>{"keys": [...]}</c>) given as a JSON string instead of fetched: the pool then
    /// never makes a network request. Keys are vetted as fetched ones are. The set must be replaced when the pool rotates
    /// its keys; the keys health check reports its age. Not with <see cref="JwksFile"/> or <see cref="JwksUri"/>.
    /// </summary>
    public string? Jwks { get; set; }

    /// <summary>
    /// A file holding the pool's key set, read instead of fetching (relative paths from the working directory). It is read
    /// again on every refresh (<see cref="UserPoolValidationOptions.KeyRefreshInterval"/>, and at once for a token whose
    /// <c>kid</c> the set lacks, within the kid-miss limit), so a replaced file is picked up without a restart; the keys
    /// health check reports the file's last write time. Not with <see cref="Jwks"/> or <see cref="JwksUri"/>.
    /// </summary>
    public string? JwksFile { get; set; }

    /// <summary>The region: <see cref="Region"/> if set, otherwise the prefix of <see cref="UserPoolId"/>.</summary>
    public string? EffectiveRegion
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(Region))
            {
                return Region;
            }

            var id = UserPoolId;
            var underscore = id?.IndexOf('_', StringComparison.Ordinal) ?? -1;
            return underscore > 0 ? id![..underscore] : null;
        }
    }

    /// <summary>
    /// The issuers accepted for this pool: the override alone, or both Cognito forms
    /// (<c>https://cognito-idp.{region}.amazonaws.com/{pool}</c> and <c>https://issuer-cognito-idp.{region}.amazonaws.com/{pool}</c>).
    /// </summary>
    public IReadOnlyList<string> GetIssuers()
    {
        if (!string.IsNullOrWhiteSpace(Issuer))
        {
            return [Issuer];
        }

        var region = EffectiveRegion;
        return
        [
            $"https://cognito-idp.{region}.amazonaws.com/{UserPoolId}",
            $"https://issuer-cognito-idp.{region}.amazonaws.com/{UserPoolId}",
        ];
    }

    /// <summary>
    /// The JWKS address: the override, or the first issuer's <c>/.well-known/jwks.json</c>. Both issuer forms publish the same
    /// keys. For a configured set, the name its key cache goes by: the file's URL, or a <c>urn:tokenverifier:jwks:</c> name.
    /// </summary>
    public Uri GetJwksUri() => Keys.ConfiguredJwksSource.IsConfigured(this) ? Keys.ConfiguredJwksSource.AddressOf(this) :
        new(!string.IsNullOrWhiteSpace(JwksUri) ? JwksUri : GetIssuers()[0].TrimEnd('/') + "/.well-known/jwks.json", UriKind.Absolute);

    internal void Validate(string label, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(UserPoolId))
        {
            errors.Add($"{label}: UserPoolId is required.");
        }
        else if (!PoolIdPattern().IsMatch(UserPoolId) && string.IsNullOrWhiteSpace(Issuer))
        {
            errors.Add($"{label}: UserPoolId '{UserPoolId}' is not a Cognito pool id (expected '<region>_<id>', for example 'us-east-1_AbC123'); set Issuer to use a non-AWS issuer such as an emulator.");
        }

        if (!string.IsNullOrWhiteSpace(Region) && !RegionPattern().IsMatch(Region))
        {
            errors.Add($"{label}: Region '{Region}' is not an AWS region name (for example 'us-east-1').");
        }
        else if (!string.IsNullOrWhiteSpace(Region) && UserPoolId is not null && PoolIdPattern().IsMatch(UserPoolId)
            && !UserPoolId.StartsWith(Region + "_", StringComparison.Ordinal))
        {
            errors.Add($"{label}: Region '{Region}' does not match the region prefix of UserPoolId '{UserPoolId}'.");
        }

        if (ClientIds.Count > 0 && AllowAnyClient)
        {
            errors.Add($"{label}: AllowAnyClient = true accepts every app client, so the ClientIds listed would check nothing. Remove ClientIds, or set AllowAnyClient = false.");
        }

        if (ClientIds.Count == 0 && !AllowAnyClient)
        {
            errors.Add($"{label}: ClientIds is empty. List the app client ids whose tokens are accepted, or set AllowAnyClient = true to accept every client of the pool.");
        }

        foreach (var clientId in ClientIds)
        {
            if (string.IsNullOrWhiteSpace(clientId))
            {
                errors.Add($"{label}: ClientIds contains an empty entry.");
            }
        }

        CheckAddress(label, "Issuer", Issuer, errors);
        CheckAddress(label, "JwksUri", JwksUri, errors);
        CheckConfiguredKeys(label, errors);
    }

    private void CheckConfiguredKeys(string label, List<string> errors)
    {
        var inline = !string.IsNullOrWhiteSpace(Jwks);
        var file = !string.IsNullOrWhiteSpace(JwksFile);
        if (inline && file)
        {
            errors.Add($"{label}: Jwks and JwksFile are both set; give the key set one way.");
            return;
        }

        if (!inline && !file)
        {
            return;
        }

        var name = inline ? "Jwks" : "JwksFile";
        if (!string.IsNullOrWhiteSpace(JwksUri))
        {
            errors.Add($"{label}: {name} and JwksUri are both set; a pool whose keys are configured never fetches them, so remove one.");
        }

        string json;
        if (inline)
        {
            json = Jwks!;
        }
        else
        {
            try
            {
                json = File.ReadAllText(JwksFile!);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                errors.Add($"{label}: JwksFile '{JwksFile}' cannot be read ({e.Message}).");
                return;
            }
        }

        if (Keys.ConfiguredJwksSource.Check(json) is { } problem)
        {
            errors.Add(inline ? $"{label}: Jwks {problem}." : $"{label}: JwksFile '{JwksFile}' {problem}.");
        }
    }

    private static void CheckAddress(string label, string name, string? value, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add($"{label}: {name} '{value}' is not an absolute http(s) URL.");
        }
        else if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            errors.Add($"{label}: {name} '{value}' uses http off loopback; signing keys must be fetched over https (http is allowed only for localhost/127.0.0.1/[::1]).");
        }
    }

    // \z, not $: $ also matches before a final newline, so "us-east-1_AbC123\n" would pass and reach the issuer.
    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+_[0-9A-Za-z]+\\z", RegexOptions.CultureInvariant)]
    private static partial Regex PoolIdPattern();

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+\\z", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();
}
