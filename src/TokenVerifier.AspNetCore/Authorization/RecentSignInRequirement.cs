using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using TokenVerifier.Claims;

namespace TokenVerifier.AspNetCore.Authorization;

/// <summary>
/// Requires a user who signed in at most <see cref="MaxAge"/> ago, by the token's <c>auth_time</c>: for step-up flows,
/// where a sensitive operation wants a fresh sign-in rather than a long-lived session. A token without
/// <c>auth_time</c> and a machine client's token (which has no sign-in) never satisfy it.
/// </summary>
/// <remarks>
/// The clock is the application's <see cref="TimeProvider"/> from the request's services (the one the token
/// validation uses), or <see cref="TimeProvider.System"/> when the authorization runs without an
/// <see cref="HttpContext"/> as its resource. Like <see cref="ScopeRequirement"/>, the requirement is its own handler.
/// </remarks>
public sealed class RecentSignInRequirement : IAuthorizationRequirement, IAuthorizationHandler
{
    /// <summary>Creates a requirement for a sign-in no older than <paramref name="maxAge"/>.</summary>
    /// <param name="maxAge">The oldest sign-in accepted; positive.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxAge"/> is zero or negative.</exception>
    public RecentSignInRequirement(TimeSpan maxAge)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxAge, TimeSpan.Zero);
        MaxAge = maxAge;
    }

    /// <summary>The oldest sign-in accepted.</summary>
    public TimeSpan MaxAge { get; }

    /// <summary>Succeeds this requirement when a user's identity has an <c>auth_time</c> within <see cref="MaxAge"/>; never fails it.</summary>
    /// <param name="context">The authorization context.</param>
    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var time = (context.Resource as HttpContext)?.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        foreach (var identity in context.User.Identities)
        {
            // A machine client's token carries the time of its token request as auth_time: no one signed in.
            if (!identity.IsAuthenticated || MachineClients.IsMachineClient(identity))
            {
                continue;
            }

            if (identity.FindFirst(static claim => claim.Type == UserPoolClaimTypes.AuthTime) is { } claim
                && double.TryParse(claim.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var authTime)
                && double.IsFinite(authTime)
                && now - authTime <= MaxAge.TotalSeconds)
            {
                context.Succeed(this);
                break;
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{nameof(RecentSignInRequirement)}: the user must have signed in within {MaxAge}");
}
