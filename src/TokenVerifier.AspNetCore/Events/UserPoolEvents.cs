namespace TokenVerifier.AspNetCore.Events;

/// <summary>Callbacks of the user-pool handler, in the style of <c>JwtBearerEvents</c>. Set the delegates or derive and override.</summary>
public class UserPoolEvents
{
    private static readonly Func<UserPoolMessageReceivedContext, Task> NoMessageReceived = _ => Task.CompletedTask;
    private static readonly Func<UserPoolTokenValidatedContext, Task> NoTokenValidated = _ => Task.CompletedTask;
    private static readonly Func<UserPoolAuthenticationFailedContext, Task> NoAuthenticationFailed = _ => Task.CompletedTask;
    private static readonly Func<UserPoolChallengeContext, Task> NoChallenge = _ => Task.CompletedTask;

    /// <summary>Before the token is read.</summary>
    public Func<UserPoolMessageReceivedContext, Task> OnMessageReceived { get; set; } = NoMessageReceived;

    /// <summary>After a token passed every check.</summary>
    public Func<UserPoolTokenValidatedContext, Task> OnTokenValidated { get; set; } = NoTokenValidated;

    // The two events raised on every request: when nobody handles them (no delegate set, no derived type), the handler
    // does not build a context nobody would see.
    internal bool HandlesMessageReceived => GetType() != typeof(UserPoolEvents) || !ReferenceEquals(OnMessageReceived, NoMessageReceived);

    internal bool HandlesTokenValidated => GetType() != typeof(UserPoolEvents) || !ReferenceEquals(OnTokenValidated, NoTokenValidated);

    // The same for the two events of a refusal, which a flood of forged tokens raises on every request.
    internal bool HandlesAuthenticationFailed => GetType() != typeof(UserPoolEvents) || !ReferenceEquals(OnAuthenticationFailed, NoAuthenticationFailed);

    internal bool HandlesChallenge => GetType() != typeof(UserPoolEvents) || !ReferenceEquals(OnChallenge, NoChallenge);

    /// <summary>After a token was rejected.</summary>
    public Func<UserPoolAuthenticationFailedContext, Task> OnAuthenticationFailed { get; set; } = NoAuthenticationFailed;

    /// <summary>Before the 401 challenge is written.</summary>
    public Func<UserPoolChallengeContext, Task> OnChallenge { get; set; } = NoChallenge;

    /// <summary>Before the 403 response is written.</summary>
    public Func<UserPoolForbiddenContext, Task> OnForbidden { get; set; } = _ => Task.CompletedTask;

    /// <summary>Invokes <see cref="OnMessageReceived"/>.</summary>
    /// <param name="context">The event's context.</param>
    public virtual Task MessageReceived(UserPoolMessageReceivedContext context) => OnMessageReceived(context);

    /// <summary>Invokes <see cref="OnTokenValidated"/>.</summary>
    /// <param name="context">The event's context.</param>
    public virtual Task TokenValidated(UserPoolTokenValidatedContext context) => OnTokenValidated(context);

    /// <summary>Invokes <see cref="OnAuthenticationFailed"/>.</summary>
    /// <param name="context">The event's context.</param>
    public virtual Task AuthenticationFailed(UserPoolAuthenticationFailedContext context) => OnAuthenticationFailed(context);

    /// <summary>Invokes <see cref="OnChallenge"/>.</summary>
    /// <param name="context">The event's context.</param>
    public virtual Task Challenge(UserPoolChallengeContext context) => OnChallenge(context);

    /// <summary>Invokes <see cref="OnForbidden"/>.</summary>
    /// <param name="context">The event's context.</param>
    public virtual Task Forbidden(UserPoolForbiddenContext context) => OnForbidden(context);
}
