using System.Security.Claims;
using TokenVerifier.Claims;
using TokenVerifier.Testing;
using TokenVerifier.Tests.Validation;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Claims;

/// <summary>
/// The identity creates its <see cref="Claim"/> objects on first need. Whatever a caller does, it must see exactly what
/// an identity built with every claim up front shows: the oracle here is a plain <see cref="ClaimsIdentity"/> holding
/// copies of the same claims, so the runtime's own semantics (case rules, order) are what the fast paths are held to.
/// </summary>
public sealed class ClaimsOnDemandTests(ClaimsOnDemandTests.PoolFixture fixture) : IClassFixture<ClaimsOnDemandTests.PoolFixture>
{
    /// <summary>One pool and one token of each kind for the class: generating RSA keys is what makes tests slow.</summary>
    public sealed class PoolFixture : IDisposable
    {
        public PoolFixture()
        {
            T = new TestPool(o => o.TokenUse = ["access", "id"]);
            var options = new LocalTokenOptions { Username = "carol" };
            options.Groups.Add("admins");
            options.Groups.Add("Sales");
            options.Scopes.Add("orders/read");
            options.Scopes.Add("orders/write");
            AccessToken = T.Pool.MintAccessToken(options);
            IdToken = T.Pool.MintIdToken(options);
            OtherUserToken = T.Pool.MintIdToken(new LocalTokenOptions { Username = "dave" });
        }

        internal TestPool T { get; }

        internal string AccessToken { get; }

        internal string IdToken { get; }

        internal string OtherUserToken { get; }

        public void Dispose() => T.Dispose();
    }

    private async Task<UserPoolClaimsIdentity> FreshAsync(bool id = false)
    {
        var result = await fixture.T.ValidateAsync(id ? fixture.IdToken : fixture.AccessToken);
        Assert.True(result.IsValid, result.FailureMessage);
        var identity = Assert.IsType<UserPoolClaimsIdentity>(result.Identity);
        Assert.False(identity.ClaimsCreated);
        return identity;
    }

    // The same claims, built eagerly into a plain ClaimsIdentity, from an identity of the same token.
    private async Task<ClaimsIdentity> OracleAsync(bool id = false)
    {
        var source = await FreshAsync(id);
        return new ClaimsIdentity(
            source.Claims.Select(c => new Claim(c.Type, c.Value, c.ValueType, c.Issuer, c.OriginalIssuer)).ToList(),
            source.AuthenticationType,
            source.NameClaimType,
            source.RoleClaimType);
    }

    private static string[] Describe(IEnumerable<Claim> claims) =>
        claims.Select(c => $"{c.Type}|{c.Value}|{c.ValueType}|{c.Issuer}|{c.OriginalIssuer}").ToArray();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Name_authentication_and_roles_are_answered_without_creating_claims(bool id)
    {
        var identity = await FreshAsync(id);
        var oracle = await OracleAsync(id);
        var principal = new ClaimsPrincipal(identity);

        Assert.Equal("carol", identity.Name);
        Assert.Equal(oracle.Name, identity.Name);
        Assert.True(identity.IsAuthenticated);
        Assert.True(principal.IsInRole("admins"));
        Assert.True(principal.IsInRole("Sales"));
        Assert.False(principal.IsInRole("sales"));
        Assert.False(principal.IsInRole("nobody"));
        Assert.Equal("carol", principal.Identity!.Name);
        Assert.False(identity.ClaimsCreated);

        var dave = Assert.IsType<UserPoolClaimsIdentity>((await fixture.T.ValidateAsync(fixture.OtherUserToken)).Identity);
        Assert.Equal("dave", dave.Name);
        Assert.False(dave.ClaimsCreated);
    }

    [Theory]
    [InlineData("cognito:groups", "admins")]
    [InlineData("COGNITO:GROUPS", "admins")]
    [InlineData("cognito:groups", "ADMINS")]
    [InlineData("cognito:groups", "admin")]
    [InlineData("scope", "orders/read")]
    [InlineData("Scope", "orders/write")]
    [InlineData("username", "carol")]
    [InlineData("token_use", "access")]
    [InlineData("token_use", "id")]
    [InlineData("missing", "carol")]
    [InlineData("username", "")]
    [InlineData("", "carol")]
    public async Task HasClaim_answers_as_a_claims_identity_does(string type, string value)
    {
        var identity = await FreshAsync();
        var oracle = await OracleAsync();

        Assert.Equal(oracle.HasClaim(type, value), identity.HasClaim(type, value));
        Assert.False(identity.ClaimsCreated);
        Assert.Throws<ArgumentNullException>(() => identity.HasClaim(null!, value));
        Assert.Throws<ArgumentNullException>(() => identity.HasClaim(type, null!));
    }

    [Theory]
    [InlineData("Username")]
    [InlineData("COGNITO:GROUPS")]
    [InlineData("Scope")]
    public async Task A_claim_named_like_the_name_groups_or_scope_but_for_case_is_found_as_a_claims_identity_finds_it(string name)
    {
        // The name, group and scope answers come from the token's own lists, which hold only the exactly named claims;
        // a claim that differs only in case (its exact twin omitted: a token may not carry both) must still be found.
        var canonical = name.ToLowerInvariant();
        var options = new LocalTokenOptions { Username = "carol" };
        options.OmitClaims.Add(canonical);
        options.AdditionalClaims[name] = canonical == "cognito:groups" ? new[] { "admins" } : "mallory";
        var result = await fixture.T.ValidateAsync(fixture.T.Pool.MintAccessToken(options));
        Assert.True(result.IsValid, result.FailureMessage);
        var identity = Assert.IsType<UserPoolClaimsIdentity>(result.Identity);
        var oracle = new ClaimsIdentity(
            identity.Claims.Select(c => new Claim(c.Type, c.Value, c.ValueType, c.Issuer)).ToList(),
            identity.AuthenticationType,
            identity.NameClaimType,
            identity.RoleClaimType);
        identity = Assert.IsType<UserPoolClaimsIdentity>((await fixture.T.ValidateAsync(fixture.T.Pool.MintAccessToken(options))).Identity);

        Assert.Equal(oracle.Name, identity.Name);
        Assert.Equal(canonical == "username" ? "mallory" : "carol", identity.Name);
        foreach (var (type, value) in new[] { (canonical, "mallory"), (canonical, "admins"), (name, "mallory"), ("username", "carol"), ("cognito:groups", "admins"), ("scope", "mallory") })
        {
            Assert.Equal(oracle.HasClaim(type, value), identity.HasClaim(type, value));
        }

        Assert.Equal(new ClaimsPrincipal(oracle).IsInRole("admins"), new ClaimsPrincipal(identity).IsInRole("admins"));
        Assert.False(identity.ClaimsCreated);
    }

    [Fact]
    public async Task A_validation_and_the_name_group_and_scope_reads_of_a_request_stay_within_one_and_a_half_kilobytes()
    {
        // The claims are read again from the token when something needs them, not kept with it; a request that reads
        // its user's name, one group and one scope allocates no claim. Warmed first, then measured on this thread.
        // On the system clock, as an application runs.
        using var t = new TestPool(o => o.ValidatedTokenCacheSize = 0);
        using var validator = new UserPoolTokenValidator(t.Options, t.Registry);
        var options = new LocalTokenOptions { Username = "carol", IssuedAt = DateTimeOffset.UtcNow };
        options.Groups.Add("admins");
        options.Scopes.Add("orders/read");
        var token = t.Pool.MintAccessToken(options);
        Assert.Equal("carol", Read((await validator.ValidateAsync(token)).Identity!));

        var allocated = AllocatedBy(() => validator.ValidateAsync(token), out var name);

        Assert.Equal("carol", name);
        Assert.True(allocated <= 1536, $"The validation and its reads allocated {allocated} bytes.");

    }

    // What a request typically asks of its user, through the principal the handler builds.
    private static string? Read(ClaimsIdentity identity)
    {
        var principal = new ClaimsPrincipal(identity);
        return principal.IsInRole("admins") && principal.HasClaim("scope", "orders/read") ? principal.Identity!.Name : null;
    }

    private static long AllocatedBy(Func<ValueTask<UserPoolValidationResult>> validate, out string? name)
    {
        // Warmed on this thread first: the shared array pool makes its per-thread store on a thread's first rentals.
        for (var i = 0; i < 3; i++)
        {
            var warm = validate();
            Assert.True(warm.IsCompletedSuccessfully);
            Read(warm.AsTask().Result.Identity!);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var pending = validate();
        var validating = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(pending.IsCompletedSuccessfully, "With the keys cached and no revocation store, validation completes synchronously.");

        // Outside the measurement: AsTask wraps the completed result in a task of its own.
        var result = pending.AsTask().Result;
        before = GC.GetAllocatedBytesForCurrentThread();
        name = Read(result.Identity!);
        return validating + GC.GetAllocatedBytesForCurrentThread() - before;
    }

    public static TheoryData<string> Readers =>
    [
        "Claims",
        "FindFirst(type)",
        "FindFirst(match)",
        "FindAll(type)",
        "FindAll(match)",
        "HasClaim(match)",
        "principal.Claims",
        "principal.FindFirst(type)",
        "principal.FindAll(type)",
    ];

    [Theory]
    [MemberData(nameof(Readers))]
    public async Task Every_reader_sees_the_token_claims_in_order(string reader)
    {
        var identity = await FreshAsync();
        var oracle = await OracleAsync();
        IEnumerable<Claim> Read(ClaimsIdentity i)
        {
            var p = new ClaimsPrincipal(i);
            return reader switch
            {
                "Claims" => i.Claims,
                "FindFirst(type)" => [i.FindFirst("SCOPE")!],
                "FindFirst(match)" => [i.FindFirst(c => c.Value == "orders/write")!],
                "FindAll(type)" => i.FindAll("cognito:groups"),
                "FindAll(match)" => i.FindAll(c => c.Type.StartsWith('s')),
                "HasClaim(match)" => i.HasClaim(c => c.Value == "Sales") ? i.Claims : [],
                "principal.Claims" => p.Claims,
                "principal.FindFirst(type)" => [p.FindFirst("jti")!],
                "principal.FindAll(type)" => p.FindAll("scope"),
                _ => throw new ArgumentOutOfRangeException(nameof(reader)),
            };
        }

        var actual = Describe(Read(identity).ToList());
        Assert.True(identity.ClaimsCreated);
        Assert.NotEmpty(actual);
        Assert.Equal(Describe(Read(oracle)), actual);
        Assert.All(identity.Claims, c => Assert.Same(identity, c.Subject));
    }

    [Fact]
    public async Task Claims_added_before_any_read_follow_the_token_claims()
    {
        var identity = await FreshAsync();
        var oracle = await OracleAsync();
        identity.AddClaim(new Claim("tenant", "acme"));
        identity.AddClaims([new Claim("tier", "gold"), null]);
        oracle.AddClaim(new Claim("tenant", "acme"));
        oracle.AddClaims([new Claim("tier", "gold"), null]);

        Assert.Equal(Describe(oracle.Claims), Describe(identity.Claims));
        Assert.Equal("tier", identity.Claims.Last().Type);
    }

    [Fact]
    public async Task Token_claims_can_be_removed_and_removing_a_stranger_fails_as_usual()
    {
        var identity = await FreshAsync();
        var count = identity.Claims.Count();

        Assert.True(identity.TryRemoveClaim(identity.FindFirst("jti")));
        identity.RemoveClaim(identity.FindFirst("client_id"));
        Assert.Equal(count - 2, identity.Claims.Count());
        Assert.Null(identity.FindFirst("jti"));

        var stranger = await FreshAsync();
        Assert.False(stranger.TryRemoveClaim(new Claim("jti", "x")));
        Assert.True(stranger.ClaimsCreated);
        Assert.Throws<InvalidOperationException>(() => stranger.RemoveClaim(new Claim("jti", "x")));
    }

    [Fact]
    public async Task A_removed_name_claim_is_gone_from_Name_and_HasClaim()
    {
        var identity = await FreshAsync();
        identity.RemoveClaim(identity.FindFirst("username"));

        Assert.Null(identity.Name);
        Assert.False(identity.HasClaim("username", "carol"));
    }

    public static TheoryData<string> Copies =>
    [
        "Clone()",
        "new ClaimsIdentity(identity)",
        "new ClaimsIdentity(identity, claims)",
        "new ClaimsIdentity(identity, null, null, null, null)",
        "ClaimsPrincipal.Clone()",
        "new ClaimsIdentity(identity.Claims, authenticationType, ...)",
        "WriteTo / ClaimsIdentity(BinaryReader)",
    ];

    [Theory]
    [MemberData(nameof(Copies))]
    public async Task Copies_of_an_untouched_identity_carry_every_claim(string copy)
    {
        var oracle = await OracleAsync();
        var identity = await FreshAsync();
        var extra = new Claim("tenant", "acme");

        var copied = copy switch
        {
            "Clone()" => identity.Clone(),
            "new ClaimsIdentity(identity)" => new ClaimsIdentity(identity),
            "new ClaimsIdentity(identity, claims)" => new ClaimsIdentity(identity, [extra]),
            "new ClaimsIdentity(identity, null, null, null, null)" => new ClaimsIdentity(identity, null, null, null, null),
            "ClaimsPrincipal.Clone()" => (ClaimsIdentity)new ClaimsPrincipal(identity).Clone().Identity!,
            "new ClaimsIdentity(identity.Claims, authenticationType, ...)" => new ClaimsIdentity(identity.Claims, identity.AuthenticationType, identity.NameClaimType, identity.RoleClaimType),
            "WriteTo / ClaimsIdentity(BinaryReader)" => RoundTrip(identity),
            _ => throw new ArgumentOutOfRangeException(nameof(copy)),
        };

        var expected = Describe(oracle.Claims).ToList();
        if (copy == "new ClaimsIdentity(identity, claims)")
        {
            expected.Add("tenant|acme|http://www.w3.org/2001/XMLSchema#string|LOCAL AUTHORITY|LOCAL AUTHORITY");
        }

        Assert.Equal(expected, Describe(copied.Claims));
        Assert.Equal("carol", copied.Name);
        Assert.Equal(identity.AuthenticationType, copied.AuthenticationType);
    }

    [Fact]
    public async Task First_reads_racing_on_many_threads_create_each_claim_once()
    {
        var expected = (await OracleAsync()).Claims.Count();
        for (var round = 0; round < 20; round++)
        {
            var identity = await FreshAsync();
            using var start = new Barrier(8);
            var counts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            {
                start.SignalAndWait();
                return identity.Claims.Count();
            })));

            Assert.All(counts, c => Assert.Equal(expected, c));
            Assert.Equal(expected, identity.Claims.Count());
        }
    }

    [Fact]
    public async Task Identities_of_one_cached_token_share_no_claim_objects()
    {
        var first = await FreshAsync();
        var second = await FreshAsync();
        first.AddClaim(new Claim("tenant", "acme"));

        Assert.Empty(first.Claims.Intersect(second.Claims, ReferenceEqualityComparer.Instance).ToList());
        Assert.Null(second.FindFirst("tenant"));
    }

    private static ClaimsIdentity RoundTrip(ClaimsIdentity identity)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            identity.WriteTo(writer);
        }

        buffer.Position = 0;
        using var reader = new BinaryReader(buffer);
        return new ClaimsIdentity(reader);
    }
}
