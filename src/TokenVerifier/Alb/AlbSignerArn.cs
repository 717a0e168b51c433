namespace TokenVerifier.Alb;

/// <summary>
/// A configured load balancer ARN, <c>arn:{partition}:elasticloadbalancing:{region}:{account}:loadbalancer/app/{name}/{id}</c>.
/// The region of the key endpoint is taken from here, never from a token. Every part is checked with explicit ASCII
/// tests: the region goes into a host name.
/// </summary>
internal sealed class AlbSignerArn
{
    private AlbSignerArn(string arn, string partition, string region, string account)
    {
        Arn = arn;
        Partition = partition;
        Region = region;
        Account = account;
    }

    public string Arn { get; }

    public string Partition { get; }

    public string Region { get; }

    public string Account { get; }

    /// <summary>Parses <paramref name="arn"/>; on failure <paramref name="error"/> says which part is wrong.</summary>
    public static AlbSignerArn? TryParse(string? arn, out string? error)
    {
        if (string.IsNullOrEmpty(arn))
        {
            error = "is empty";
            return null;
        }

        var parts = arn.Split(':');
        if (parts.Length != 6 || parts[0] != "arn" || parts[2] != "elasticloadbalancing")
        {
            error = "is not an Elastic Load Balancing ARN ('arn:aws:elasticloadbalancing:{region}:{account}:loadbalancer/app/{name}/{id}')";
            return null;
        }

        if (parts[1] is not ("aws" or "aws-us-gov" or "aws-cn"))
        {
            error = $"has an unknown partition '{parts[1]}' (expected aws, aws-us-gov or aws-cn)";
            return null;
        }

        if (!IsRegion(parts[3]))
        {
            error = "has no valid region (for example 'us-east-1')";
            return null;
        }

        if (parts[4].Length != 12 || !parts[4].All(char.IsAsciiDigit))
        {
            error = "has no 12-digit account id";
            return null;
        }

        var resource = parts[5].Split('/');
        if (resource.Length != 4 || resource[0] != "loadbalancer" || resource[1] != "app"
            || !IsName(resource[2]) || resource[3].Length == 0 || !resource[3].All(char.IsAsciiHexDigitLower))
        {
            error = "does not name an application load balancer ('loadbalancer/app/{name}/{id}')";
            return null;
        }

        error = null;
        return new AlbSignerArn(arn, parts[1], parts[3], parts[4]);
    }

    // "us-east-1", "us-gov-west-1", "ap-southeast-2": lowercase words joined by '-', ending in a number.
    private static bool IsRegion(string region)
    {
        var words = region.Split('-');
        if (words.Length < 3 || region.Length > 32)
        {
            return false;
        }

        for (var i = 0; i < words.Length; i++)
        {
            var word = words[i];
            var last = i == words.Length - 1;
            if (word.Length == 0 || !word.All(last ? char.IsAsciiDigit : char.IsAsciiLetterLower))
            {
                return false;
            }
        }

        return true;
    }

    // Load balancer names: up to 32 ASCII letters, digits and hyphens.
    private static bool IsName(string name) =>
        name.Length is > 0 and <= 32 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
