namespace TokenVerifier.Revocation;

/// <summary>The Lua the Redis store runs: each touches one key, so it runs on any Cluster node that owns the key.</summary>
internal static class RedisRevocationScripts
{
    /// <summary>
    /// User revocation as one atomic step: keeps the later of the stored and the new issued-before time, so concurrent
    /// revocations on different instances can never replace a later time with an earlier one. A stored time beyond
    /// ARGV[3] (more than a token lifetime ahead) was not written by this store and is replaced. The entry lives until
    /// the kept time + ARGV[4] ms (token lifetime + skew), relative to ARGV[2] (now), so the server's clock does not
    /// matter. Returns the kept time.
    /// KEYS[1] user key; ARGV[1] issued-before ms; ARGV[2] now ms; ARGV[3] latest acceptable ms; ARGV[4] lifetime ms.
    /// </summary>
    public const string RevokeUser = """
        local value = tonumber(ARGV[1])
        local current = tonumber(redis.call('GET', KEYS[1]))
        if current and current > value and current <= tonumber(ARGV[3]) then
          value = current
        end
        local ttl = value + tonumber(ARGV[4]) - tonumber(ARGV[2])
        if ttl > 0 then
          redis.call('SET', KEYS[1], string.format('%d', value), 'PX', string.format('%d', ttl))
        end
        return value
        """;
}
