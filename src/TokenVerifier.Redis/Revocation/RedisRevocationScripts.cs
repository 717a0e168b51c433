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

    /// <summary>
    /// A sign-in revoked with its user, as one atomic step on the user's slot. The user's live sign-in entries are listed
    /// in a sorted set (member the <c>origin_jti</c>, score its entry's expiry): an expired member is dropped; a known
    /// one, or a new one while fewer than ARGV[4] are listed, is added with its expiry and an empty array returned (the
    /// caller then writes the sign-in entry, whose key may live on another node). Otherwise the list is deleted and the
    /// user entry is written as <see cref="RevokeUser"/> writes it, with now as the issued-before time; the kept time is
    /// returned, followed by the listed ids, whose sign-in entries the caller removes.
    /// KEYS[1] the user's sign-in list; KEYS[2] user key; ARGV[1] origin_jti; ARGV[2] now ms; ARGV[3] the sign-in entry's
    /// expiry ms; ARGV[4] the most sign-in entries per user; ARGV[5] latest acceptable ms; ARGV[6] user entry lifetime ms.
    /// </summary>
    public const string RevokeSignInOfUser = """
        local now = tonumber(ARGV[2])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        if redis.call('ZSCORE', KEYS[1], ARGV[1]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[4]) then
          redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
          local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
          redis.call('PEXPIRE', KEYS[1], string.format('%d', tonumber(last[2]) - now))
          return {}
        end
        local held = redis.call('ZRANGE', KEYS[1], 0, -1)
        redis.call('DEL', KEYS[1])
        local value = now
        local current = tonumber(redis.call('GET', KEYS[2]))
        if current and current > value and current <= tonumber(ARGV[5]) then
          value = current
        end
        local ttl = value + tonumber(ARGV[6]) - now
        if ttl > 0 then
          redis.call('SET', KEYS[2], string.format('%d', value), 'PX', string.format('%d', ttl))
        end
        table.insert(held, 1, value)
        return held
        """;
}
