using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using TokenVerifier.AspNetCore.Authentication;

namespace WebApi.Authentication;

/// <summary>
/// Requests forwarded by an Application Load Balancer that signed the user in (listener rule <c>authenticate-cognito</c>),
/// on <c>/alb/me</c>. Added only when the <c>Alb</c> section exists:
/// <code>
/// "Alb": {
///   "AllowedSigners": [ "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188" ],
///   "UserPoolId": "us-east-1_AbC123",
///   "ClientId": "the app client of the listener rule"
/// }
/// </code>
/// </summary>
internal static class AlbScheme
{
    public const string SectionName = "Alb";

    /// <summary>Adds the ALB scheme bound from the <c>Alb</c> section; returns false when that section is absent.</summary>
    public static bool TryAddUserPoolAlb(this AuthenticationBuilder authentication, IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        if (!section.Exists())
        {
            return false;
        }

        // Only these settings come from configuration; events and the clock are code-only.
        authentication.AddUserPoolAlb(options =>
        {
            options.AllowedSigners = [.. section.GetSection(nameof(options.AllowedSigners)).GetChildren().Select(s => s.Value ?? "")];
            options.UserPoolId = section[nameof(options.UserPoolId)];
            options.Region = section[nameof(options.Region)];
            options.Issuer = section[nameof(options.Issuer)];
            options.ClientId = section[nameof(options.ClientId)];
            options.PublicKeyEndpoint = section[nameof(options.PublicKeyEndpoint)] ?? options.PublicKeyEndpoint;
            options.ValidateAccessToken = section.GetValue(nameof(options.ValidateAccessToken), defaultValue: true);
        });
        return true;
    }

    /// <summary>Maps <c>/alb/me</c>, answered by <paramref name="describeUser"/> for users the load balancer signed in.</summary>
    public static void MapAlbEndpoints(this IEndpointRouteBuilder app, Delegate describeUser) =>
        app.MapGet("/alb/me", describeUser).RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = UserPoolAlbDefaults.AuthenticationScheme });
}
