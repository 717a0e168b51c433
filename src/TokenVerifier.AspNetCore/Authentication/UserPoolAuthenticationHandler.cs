using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using TokenVerifier.AspNetCore.Events;
using TokenVerifier.Validation;

namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>
/// Authenticates requests carrying <c>Authorization: Bearer &lt;user-pool token&gt;</c>. Modelled on <c>JwtBearerHandler</c>:
/// the same events, an RFC 6750 challenge naming the failure, 403 for an authenticated caller who fails authorization.
/// </summary>
public sealed class UserPoolAuthenticationHandler : AuthenticationHandler<UserPoolAuthenticationOptions>
{
    private const string BearerPrefix = "Bearer ";

    private readonly UserPoolValidators _validators;

    /// <summary>Created by the authentication system.</summary>
    /// <param name="options">The schemes' options.</param>
    /// <param name="logger">The logger factory.</param>
    /// <param name="encoder">The URL encoder.</param>
    /// <param name="validators">The per-scheme validators.</param>
    /// <remarks>
    /// The handler reads the options of the scheme's configuration in force from <paramref name="validators"/>, not from
    /// <paramref name="options"/>: after a configuration reload they are the new ones, or the last good ones if the reload was refused.
    /// </remarks>
    public UserPoolAuthenticationHandler(IOptionsMonitor<UserPoolAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder, UserPoolValidators validators)
        : base(CurrentOptions(options, validators), logger, encoder)
    {
        _validators = validators;
    }

    private static IOptionsMonitor<UserPoolAuthenticationOptions> CurrentOptions(IOptionsMonitor<UserPoolAuthenticationOptions> options, UserPoolValidators validators)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(validators);
        return validators.CurrentOptions;
    }

    private new UserPoolEvents Events => (UserPoolEvents)base.Events!;

    /// <inheritdoc />
    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new UserPoolEvents());

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var events = Events;
        string? fromEvent = null;
        if (events.HandlesMessageReceived)
        {
            var messageReceived = new UserPoolMessageReceivedContext(Context, Scheme, Options);
            await events.MessageReceived(messageReceived);
            if (messageReceived.Result is not null)
            {
                return messageReceived.Result;
            }

            fromEvent = messageReceived.Token;
        }

        // The token stays inside the header string: a token served from the validated-token cache is never copied out.
        ReadOnlyMemory<char> token;
        if (fromEvent is not null)
        {
            token = fromEvent.AsMemory();
        }
        else
        {
            token = ReadToken(out var refusal);
            if (refusal is not null)
            {
                QueryTokenLog.Refused(Logger, Scheme.Name, refusal);
                return AuthenticateResult.Fail(new QueryTokenRefusedException($"The request {refusal}."));
            }
        }

        if (token.IsEmpty)
        {
            return AuthenticateResult.NoResult();
        }

        // Held until the answer is known: a reload landing meanwhile does not dispose the validator under this token. The
        // request's abort token is read only if the validation may wait (Kestrel takes a lock to hand it out).
        UserPoolValidationResult result;
        using (var lease = _validators.Lease(Scheme.Name))
        {
            result = await lease.Validator.ValidateAsync(token, static context => context.RequestAborted, Context);
        }

        var delaysRefusals = Options.RefusedTokenDelay > TimeSpan.Zero;
        if (!result.IsValid)
        {
            // An outage is ours, not the client's: its token may be good.
            if (delaysRefusals && !ServiceUnavailableResponse.IsOutage(result.Failure))
            {
                await ConnectionRefusals.RefusedAsync(Context, Options, TimeProvider, Logger, Scheme.Name);
            }

            // A new exception per request, even for the constant messages: its Data is writable and a throw writes its
            // stack trace, so a shared one could carry one request's state into another's.
            var exception = new UserPoolAuthenticationException(result.Failure, result.FailureMessage!);
            if (!events.HandlesAuthenticationFailed)
            {
                // What the context below gives when nobody looks at it.
                return AuthenticateResult.Fail(exception);
            }

            var failed = new UserPoolAuthenticationFailedContext(Context, Scheme, Options, exception);
            await events.AuthenticationFailed(failed);
            return failed.Result ?? AuthenticateResult.Fail(failed.Exception);
        }

        if (delaysRefusals)
        {
            ConnectionRefusals.Accepted(Context);
        }

        var principal = new ClaimsPrincipal(result.Identity!);
        if (!events.HandlesTokenValidated)
        {
            // The ticket TokenValidatedContext.Success() would make.
            return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
        }

        var validated = new UserPoolTokenValidatedContext(Context, Scheme, Options, result.Token!)
        {
            Principal = principal,
        };
        await events.TokenValidated(validated);
        if (validated.Result is not null)
        {
            return validated.Result;
        }

        validated.Success();
        return validated.Result!;
    }

    /// <inheritdoc />
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var authenticated = await HandleAuthenticateOnceSafeAsync();
        var failure = authenticated.Failure;

        // The token may be perfectly valid; "invalid_token" would make clients discard it and sign in again.
        var outage = failure is UserPoolAuthenticationException { Failure: var reason } && ServiceUnavailableResponse.IsOutage(reason);
        var refused = failure is QueryTokenRefusedException;
        string? error = null;
        string? description = null;
        if (failure is not null)
        {
            error = outage ? null : refused ? "invalid_request" : "invalid_token";
            description = Options.IncludeErrorDetails ? failure.Message : null;
        }

        // Every refused request is challenged: the context is built only when someone handles the event.
        var events = Events;
        if (events.HandlesChallenge)
        {
            var challenge = new UserPoolChallengeContext(Context, Scheme, Options, properties)
            {
                AuthenticateFailure = failure,
                Error = error,
                ErrorDescription = description,
            };
            await events.Challenge(challenge);
            if (challenge.Handled)
            {
                return;
            }

            error = challenge.Error;
            description = challenge.ErrorDescription;
        }

        if (outage)
        {
            await ServiceUnavailableResponse.WriteAsync(Context, description);
            return;
        }

        // RFC 6750 section 3.1: invalid_request is a 400; no token was judged, so none is called invalid.
        Response.StatusCode = refused ? StatusCodes.Status400BadRequest : StatusCodes.Status401Unauthorized;
        Response.Headers.Append(HeaderNames.WWWAuthenticate, BearerChallenge.Header(Options.Realm, error, description, failure));
    }

    /// <inheritdoc />
    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var forbidden = new UserPoolForbiddenContext(Context, Scheme, Options);
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Events.Forbidden(forbidden);
    }

    // The header, or on a path under QueryTokenPaths the access_token query parameter; never both (refusal says why).
    private ReadOnlyMemory<char> ReadToken(out string? refusal)
    {
        refusal = null;
        var fromHeader = ReadBearerToken();
        var paths = Options.QueryTokenPaths;
        if (paths.Count == 0)
        {
            return fromHeader;
        }

        var query = Request.Query[QueryTokenPaths.Parameter];
        if (query.Count == 0 || (query.Count == 1 && string.IsNullOrEmpty(query[0])))
        {
            return fromHeader;
        }

        if (!QueryTokenPaths.Matches(paths, Request.Path))
        {
            QueryTokenLog.IgnoredOutsidePaths(Logger, Scheme.Name);
            return fromHeader;
        }

        if (Request.Headers.Authorization.Count > 0)
        {
            refusal = "carries a token both in the Authorization header and in the access_token query parameter; send one";
        }
        else if (query.Count > 1)
        {
            refusal = "carries more than one access_token query parameter";
        }

        if (refusal is not null)
        {
            return ReadOnlyMemory<char>.Empty;
        }

        QueryTokenLog.ReadFromQuery(Logger, Scheme.Name);
        return query[0].AsMemory().Trim();
    }

    private ReadOnlyMemory<char> ReadBearerToken()
    {
        string? authorization = Request.Headers.Authorization;
        if (authorization is null || !authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return ReadOnlyMemory<char>.Empty;
        }

        return authorization.AsMemory(BearerPrefix.Length).Trim();
    }
}
