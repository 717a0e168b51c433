using System.Net;
using Microsoft.AspNetCore.Http;

namespace TokenVerifier.AspNetCore.Health;

/// <summary>
/// Whether a request comes from this machine and nowhere else: a loopback peer and no sign of a proxy in between. A request
/// relayed by a local reverse proxy arrives from loopback too, but carries a forwarded-for header, so it counts as remote.
/// A peer without an IP address (an in-process test host, a Unix socket behind a proxy) is not known to be local.
/// </summary>
internal static class LocalRequest
{
    public static bool IsLocal(HttpContext context)
    {
        if (context.Connection.RemoteIpAddress is not { } remote)
        {
            return false;
        }

        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }

        var headers = context.Request.Headers;
        return IPAddress.IsLoopback(remote)
            && !headers.ContainsKey("X-Forwarded-For")
            && !headers.ContainsKey("Forwarded")
            && !headers.ContainsKey("X-Original-For");
    }
}
