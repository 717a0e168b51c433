using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using TokenVerifier.Revocation;
using TokenVerifier.Testing;
using TokenVerifier.Tests.Validation;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Revocation;

/// <summary>Step 9 of the validator: real tokens, a real in-memory store, failures injected in front of it, a fake clock.</summary>
public sealed class RevocationValidationTests : IDisposable
{
    private readonly TestPool _t = new(o => o.TokenUse = ["access", "id"]);
    private readonly FakeLogger<UserPoolTokenValidator> _log = new();
    private readonly InMemoryRevocationStore _store;
    private readonly FlakyRevocationStore _flaky;

    public RevocationValidationTests()
    {
        _store = new InMemoryRevocationStore(new RevocationStoreOptions(), _t.Time);
        _flaky = new FlakyRevocationStore(_store);
    }

    public void Dispose() => _t.Dispose();

    private UserPoolTokenValidator Validator(RevocationFailureMode mode = RevocationFailureMode.FailClosed, TimeSpan? timeout = null, TimeSpan? breakDuration = null)
    {
        _t.Options.Revocation.FailureMode = mode;
        _t.Options.Revocation.Timeout = timeout ?? TimeSpan.FromMilliseconds(500);
        _t.Options.Revocation.BreakDuration = breakDuration ?? TimeSpan.FromSeconds(1);
        return new UserPoolTokenValidator(_t.Options, _t.Registry, _t.Time, _log, _flaky);
    }

    private static async Task<UserPoolToken> TokenOf(UserPoolTokenValidator validator, string token)
    {
        var result = await validator.ValidateAsync(token);
        Assert.True(result.IsValid, result.FailureMessage);
        return result.Token!;
    }

    [Fact]
    public async Task A_token_revoked_by_jti_is_rejected_and_others_are_not()
    {
        var validator = Validator();
        var revoked = _t.Pool.MintAccessToken();
        var other = _t.Pool.MintAccessToken();
        var token = await TokenOf(validator, revoked);
        await _store.RevokeTokenAsync(token.Issuer, token.TokenId!, token.ExpiresAt);

        var result = await validator.ValidateAsync(revoked);
        Assert.Equal(TokenFailure.Revoked, result.Failure);
        Assert.Equal("The token has been revoked.", result.FailureMessage);
        Assert.Null(result.Token);
        Assert.True((await validator.ValidateAsync(other)).IsValid);
    }

    [Fact]
    public async Task Revoking_a_sign_in_rejects_its_access_and_id_tokens_and_a_new_sign_in_works()
    {
        var validator = Validator();
        var signIn = _t.Pool.SignIn(new LocalTokenOptions { Username = "bob" });
        await _store.RevokeSignInAsync(_t.Pool.Issuer, signIn.OriginJti);

        Assert.Equal(TokenFailure.Revoked, (await validator.ValidateAsync(signIn.AccessToken)).Failure);
        Assert.Equal(TokenFailure.Revoked, (await validator.ValidateAsync(signIn.IdToken)).Failure);

        var again = _t.Pool.SignIn(new LocalTokenOptions { Username = "bob" });
        Assert.NotEqual(signIn.OriginJti, again.OriginJti);
        Assert.True((await validator.ValidateAsync(again.AccessToken)).IsValid);
        Assert.True((await validator.ValidateAsync(again.IdToken)).IsValid);
    }

    [Fact]
    public async Task Revoking_a_user_rejects_tokens_issued_before_and_accepts_tokens_issued_after()
    {
        var validator = Validator();
        var before = _t.Pool.MintAccessToken(new LocalTokenOptions { Username = "carol" });
        var otherUser = _t.Pool.MintAccessToken(new LocalTokenOptions { Username = "dave" });
        var subject = (await TokenOf(validator, before)).Subject!;

        _t.Time.Advance(TimeSpan.FromSeconds(1));
        await _store.RevokeUserAsync(_t.Pool.Issuer, subject, _t.Time.GetUtcNow());
        _t.Time.Advance(TimeSpan.FromSeconds(1));
        var after = _t.Pool.MintAccessToken(new LocalTokenOptions { Username = "carol" });

        Assert.Equal(TokenFailure.Revoked, (await validator.ValidateAsync(before)).Failure);
        Assert.True((await validator.ValidateAsync(after)).IsValid);
        Assert.True((await validator.ValidateAsync(otherUser)).IsValid);
    }

    [Fact]
    public async Task A_revocation_stops_mattering_once_the_token_has_expired_anyway()
    {
        var validator = Validator();
        var token = _t.Pool.MintAccessToken(new LocalTokenOptions { Lifetime = TimeSpan.FromMinutes(10) });
        var validated = await TokenOf(validator, token);
        await _store.RevokeTokenAsync(validated.Issuer, validated.TokenId!, validated.ExpiresAt);

        _t.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(TokenFailure.Expired, (await validator.ValidateAsync(token)).Failure);
    }

    [Fact]
    public async Task With_the_in_memory_store_or_no_store_validation_completes_synchronously()
    {
        var token = _t.Pool.MintAccessToken();
        await _t.ValidateAsync(token); // fetches the keys once

        Assert.True(Synchronously.Result(_t.Validator.ValidateAsync(token)).IsValid);
        var validator = Validator();
        Assert.True(Synchronously.Result(validator.ValidateAsync(token)).IsValid);

        await _store.RevokeSignInAsync(_t.Pool.Issuer, (await TokenOf(validator, token)).OriginTokenId!);
        Assert.Equal(TokenFailure.Revoked, Synchronously.Result(validator.ValidateAsync(token)).Failure);
    }

    [Theory]
    [InlineData(RevocationFailureMode.FailClosed, StoreBehaviour.RefuseAtOnce)]
    [InlineData(RevocationFailureMode.FailClosed, StoreBehaviour.RefuseLater)]
    [InlineData(RevocationFailureMode.FailOpen, StoreBehaviour.RefuseAtOnce)]
    [InlineData(RevocationFailureMode.FailOpen, StoreBehaviour.RefuseLater)]
    public async Task A_failing_store_rejects_under_fail_closed_and_accepts_under_fail_open(RevocationFailureMode mode, StoreBehaviour failure)
    {
        var validator = Validator(mode);
        var token = _t.Pool.MintAccessToken();
        await TokenOf(validator, token);
        _flaky.Behaviour = failure;

        var result = await validator.ValidateAsync(token);
        if (mode == RevocationFailureMode.FailClosed)
        {
            Assert.Equal(TokenFailure.RevocationUnavailable, result.Failure);
            Assert.Equal("The token's revocation status could not be checked; try again later.", result.FailureMessage);
        }
        else
        {
            Assert.True(result.IsValid, result.FailureMessage);
            Assert.Equal("alice", result.Token!.Username);
        }
    }

    [Theory]
    [InlineData(RevocationFailureMode.FailClosed, TokenFailure.RevocationUnavailable)]
    [InlineData(RevocationFailureMode.FailOpen, TokenFailure.None)]
    public async Task A_store_that_never_answers_is_given_up_on_exactly_at_the_timeout(RevocationFailureMode mode, TokenFailure expected)
    {
        var validator = Validator(mode, TimeSpan.FromMilliseconds(300));
        var token = _t.Pool.MintAccessToken();
        await TokenOf(validator, token);
        _flaky.Behaviour = StoreBehaviour.Hang;

        var pending = validator.ValidateAsync(token).AsTask();
        _t.Time.Advance(TimeSpan.FromMilliseconds(299));
        Assert.False(pending.IsCompleted);

        _t.Time.Advance(TimeSpan.FromMilliseconds(1));
        var result = await pending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(expected, result.Failure);
    }

    [Theory]
    [InlineData(RevocationFailureMode.FailClosed, TokenFailure.RevocationUnavailable)]
    [InlineData(RevocationFailureMode.FailOpen, TokenFailure.None)]
    public async Task After_a_failure_the_store_is_skipped_for_the_break_duration_then_asked_again(RevocationFailureMode mode, TokenFailure whileDown)
    {
        var validator = Validator(mode, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(1));
        var token = _t.Pool.MintAccessToken();
        await TokenOf(validator, token);
        _flaky.Behaviour = StoreBehaviour.Hang;

        var first = validator.ValidateAsync(token).AsTask();
        _t.Time.Advance(TimeSpan.FromMilliseconds(300));
        Assert.Equal(whileDown, (await first.WaitAsync(TimeSpan.FromSeconds(10))).Failure);
        Assert.Equal(2, _flaky.Lookups);

        // Within the break: answered at once by the failure mode, without waiting for the store again.
        _t.Time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(whileDown, Synchronously.Result(validator.ValidateAsync(token)).Failure);
        Assert.Equal(2, _flaky.Lookups);

        _flaky.Behaviour = StoreBehaviour.Up;
        _t.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True((await validator.ValidateAsync(token)).IsValid);
        Assert.Equal(3, _flaky.Lookups);
        Assert.True((await validator.ValidateAsync(token)).IsValid);
        Assert.Equal(4, _flaky.Lookups);
    }

    [Fact]
    public async Task With_no_break_duration_every_request_asks_the_failing_store()
    {
        var validator = Validator(RevocationFailureMode.FailClosed, breakDuration: TimeSpan.Zero);
        var token = _t.Pool.MintAccessToken();
        await TokenOf(validator, token);
        _flaky.Behaviour = StoreBehaviour.RefuseAtOnce;
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(TokenFailure.RevocationUnavailable, (await validator.ValidateAsync(token)).Failure);
        }

        Assert.Equal(4, _flaky.Lookups);
    }

    [Fact]
    public async Task Cancelling_the_request_while_waiting_for_the_store_cancels_validation()
    {
        var validator = Validator();
        var token = _t.Pool.MintAccessToken();
        await TokenOf(validator, token);
        _flaky.Behaviour = StoreBehaviour.Hang;

        using var abort = new CancellationTokenSource();
        var pending = validator.ValidateAsync(token, abort.Token).AsTask();
        await abort.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task An_outage_is_logged_once_when_it_starts_and_once_when_it_ends()
    {
        var validator = Validator(RevocationFailureMode.FailClosed);
        var token = _t.Pool.MintAccessToken();
        await TokenOf(validator, token);

        _flaky.Behaviour = StoreBehaviour.RefuseLater;
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(TokenFailure.RevocationUnavailable, (await validator.ValidateAsync(token)).Failure);
            _t.Time.Advance(TimeSpan.FromSeconds(1));
        }

        _flaky.Behaviour = StoreBehaviour.Up;
        Assert.True((await validator.ValidateAsync(token)).IsValid);
        Assert.True((await validator.ValidateAsync(token)).IsValid);

        var outage = _log.Collector.GetSnapshot().Where(r => r.Id.Id is 6001 or 6002).ToList();
        Assert.Equal([6001, 6002], outage.Select(r => r.Id.Id));
        Assert.Equal(LogLevel.Warning, outage[0].Level);
        Assert.Equal("The revocation store is unavailable (SocketException); tokens are rejected (FailClosed) until it answers again.", outage[0].Message);
        Assert.IsType<System.Net.Sockets.SocketException>(outage[0].Exception);
        Assert.Equal(3, _log.Collector.GetSnapshot().Count(r => r.Id.Id == 1100 + (int)TokenFailure.RevocationUnavailable));
        Assert.DoesNotContain(_log.Collector.GetSnapshot(), r => r.Message.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rejected_tokens_never_reach_the_store()
    {
        var validator = Validator();
        Assert.Equal(TokenFailure.InvalidSignature, (await validator.ValidateAsync(LocalUserPool.TamperSignature(_t.Pool.MintAccessToken()))).Failure);
        Assert.Equal(0, _flaky.Lookups);
        await TokenOf(validator, _t.Pool.MintAccessToken());
        Assert.Equal(1, _flaky.Lookups);
    }

    [Fact]
    public void Revocation_options_are_validated_with_the_validation_options()
    {
        _t.Options.Revocation.Timeout = TimeSpan.Zero;
        _t.Options.Revocation.FailureMode = (RevocationFailureMode)7;
        _t.Options.Revocation.BreakDuration = TimeSpan.FromSeconds(-1);
        var error = Assert.Throws<ArgumentException>(() => new UserPoolTokenValidator(_t.Options, _t.Registry, _t.Time, null, _flaky));
        Assert.Contains("Revocation:FailureMode must be FailClosed or FailOpen.", error.Message, StringComparison.Ordinal);
        Assert.Contains("Revocation:Timeout must be positive and at most 30 seconds.", error.Message, StringComparison.Ordinal);
        Assert.Contains("Revocation:BreakDuration must be between 0 and 1 minute.", error.Message, StringComparison.Ordinal);
    }
}
