namespace TokenVerifier.Validation;

/// <summary>A snapshot of a validator's validated-token cache, for metrics and tuning <see cref="UserPoolValidationOptions.ValidatedTokenCacheSize"/>.</summary>
/// <param name="Hits">Tokens served from the cache since the validator was created.</param>
/// <param name="Misses">Lookups that were not served: the token was not cached, had expired, or its key had left the key set.</param>
/// <param name="Evictions">Entries dropped to stay within the capacity; many evictions with few hits mean the cache is too small.</param>
/// <param name="Count">Entries cached now.</param>
/// <param name="Capacity">The most entries the cache holds; zero when it is disabled.</param>
public readonly record struct ValidatedTokenCacheStatistics(long Hits, long Misses, long Evictions, int Count, int Capacity);
