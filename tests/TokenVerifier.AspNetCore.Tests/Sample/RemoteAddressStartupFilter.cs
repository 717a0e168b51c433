using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace TokenVerifier.AspNetCore.Tests.Sample;

/// <summary>
/// Gives every request of an in-process test host the peer address a real connection would have (the test server leaves
/// it unset): loopback for a client on the same machine, anything else for a remote one.
/// </summary>
internal sealed class RemoteAddressStartupFilter(IPAddress? address) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            context.Connection.RemoteIpAddress = address;
            return nextMiddleware(context);
        });
        next(app);
    };
}
