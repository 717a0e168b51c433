namespace TokenVerifier.Alb;

/// <summary>Limits of the ALB key fetches.</summary>
internal sealed record AlbKeyCacheSettings(
    TimeSpan Timeout,
    int MaxResponseBytes,
    TimeSpan UnknownKidInterval,
    int UnknownKidFetchesPerInterval,
    int MaxKeys);
