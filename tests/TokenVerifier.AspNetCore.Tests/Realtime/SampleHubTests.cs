using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TokenVerifier.Revocation;

namespace TokenVerifier.AspNetCore.Tests.Realtime;

/// <summary>
/// The sample's <c>/hubs/orders</c> hub through the real .NET SignalR client over WebSockets (the only transport the
/// connections allow) on Kestrel: the token from <c>AccessTokenProvider</c> (a header) or, as browsers send it, in the
/// <c>access_token</c> query parameter; refusals at the handshake; the <c>admins</c> policy on a hub method.
/// </summary>
public sealed class SampleHubTests(KestrelSample sample) : IClassFixture<KestrelSample>
{
    private HubConnection Hub(string? providedToken = null, string? queryToken = null, bool skipNegotiation = false)
    {
        var path = queryToken is null ? "/hubs/orders" : $"/hubs/orders?access_token={Uri.EscapeDataString(queryToken)}";
        return new HubConnectionBuilder()
            .WithUrl(new Uri(sample.BaseAddress, path), HttpTransportType.WebSockets, options =>
            {
                options.SkipNegotiation = skipNegotiation;
                if (providedToken is not null)
                {
                    options.AccessTokenProvider = () => Task.FromResult<string?>(providedToken);
                }
            })
            .Build();
    }

    // Whatever step of the handshake refused (negotiate or the WebSocket upgrade), the status it answered.
    private static async Task<int> RefusedStatusAsync(HubConnection hub)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => hub.StartAsync());
        return error switch
        {
            HttpRequestException { StatusCode: { } status } => (int)status,
            WebSocketException socket when socket.Message.Contains("'401'", StringComparison.Ordinal) => 401,
            WebSocketException socket when socket.Message.Contains("'400'", StringComparison.Ordinal) => 400,
            _ => throw new InvalidOperationException("The connection failed for another reason.", error),
        };
    }

    // The reason the scheme gives for a token, read from the challenge of the negotiate request the client sends first.
    private async Task<string> ChallengeForAsync(string token)
    {
        using var client = sample.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/hubs/orders/negotiate?negotiateVersion=1&access_token={token}", UriKind.Relative));
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        return response.Headers.WwwAuthenticate.ToString();
    }

    [Fact]
    public async Task A_valid_token_from_AccessTokenProvider_connects()
    {
        await using var hub = Hub(providedToken: sample.Mint());
        await hub.StartAsync();
        Assert.Equal("alice", await hub.InvokeAsync<string>("WhoAmI"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_valid_token_in_the_access_token_query_parameter_connects_as_a_browser_does(bool skipNegotiation)
    {
        // Skipping negotiation leaves one request, the WebSocket upgrade, with the token in its query string only.
        await using var hub = Hub(queryToken: sample.Mint(o => o.Username = "bob"), skipNegotiation: skipNegotiation);
        await hub.StartAsync();
        Assert.Equal("bob", await hub.InvokeAsync<string>("WhoAmI"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Without_a_token_the_connection_is_refused(bool skipNegotiation)
    {
        await using var hub = Hub(skipNegotiation: skipNegotiation);
        Assert.Equal(401, await RefusedStatusAsync(hub));
    }

    [Fact]
    public async Task An_expired_token_is_refused_in_the_header_and_in_the_query()
    {
        var expired = sample.Mint(o => o.IssuedAt = DateTimeOffset.UtcNow.AddHours(-2));
        Assert.Contains("error_description=\"The token expired at ", await ChallengeForAsync(expired), StringComparison.Ordinal);

        await using var fromProvider = Hub(providedToken: expired);
        Assert.Equal(401, await RefusedStatusAsync(fromProvider));
        await using var fromQuery = Hub(queryToken: expired, skipNegotiation: true);
        Assert.Equal(401, await RefusedStatusAsync(fromQuery));
    }

    [Fact]
    public async Task A_revoked_token_is_refused_in_the_header_and_in_the_query()
    {
        var jti = Guid.NewGuid().ToString("N");
        var revoked = sample.Mint(o => o.Jti = jti);
        await using (var before = Hub(queryToken: revoked, skipNegotiation: true))
        {
            await before.StartAsync();
        }

        await sample.Services.GetRequiredService<IRevocationStore>().RevokeTokenAsync(jti, DateTimeOffset.UtcNow.AddHours(2));
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"The token has been revoked.\"", await ChallengeForAsync(revoked));

        await using var fromProvider = Hub(providedToken: revoked);
        Assert.Equal(401, await RefusedStatusAsync(fromProvider));
        await using var fromQuery = Hub(queryToken: revoked, skipNegotiation: true);
        Assert.Equal(401, await RefusedStatusAsync(fromQuery));
    }

    [Fact]
    public async Task A_token_in_both_the_header_and_the_query_is_refused()
    {
        var token = sample.Mint();
        await using var hub = Hub(providedToken: token, queryToken: token);
        Assert.Equal(400, await RefusedStatusAsync(hub));
    }

    [Fact]
    public async Task The_admins_policy_on_a_hub_method_lets_an_admin_announce_and_refuses_anyone_else()
    {
        var notices = Channel.CreateUnbounded<string>();
        await using var listener = Hub(queryToken: sample.Mint(o => o.Username = "carol"));
        listener.On<string>("notice", notice => notices.Writer.TryWrite(notice));
        await listener.StartAsync();

        await using var admin = Hub(queryToken: sample.Mint(o => o.Groups.Add("admins")));
        await admin.StartAsync();
        await admin.InvokeAsync("Announce", "coffee is back");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.Equal("coffee is back", await notices.Reader.ReadAsync(timeout.Token));

        var refused = await Assert.ThrowsAsync<HubException>(() => listener.InvokeAsync("Announce", "not an admin"));
        Assert.Contains("unauthorized", refused.Message, StringComparison.OrdinalIgnoreCase);
        // The connection stays usable: only the method was refused.
        Assert.Equal("carol", await listener.InvokeAsync<string>("WhoAmI"));
    }

    [Fact]
    public async Task A_query_token_on_a_path_outside_the_hubs_is_ignored_over_a_real_socket()
    {
        using var client = sample.CreateClient();
        using var response = await client.GetAsync(new Uri($"/me?access_token={sample.Mint()}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", sample.Mint());
        using var withHeader = await client.GetAsync(new Uri($"/me?access_token={sample.Mint(o => o.IssuedAt = DateTimeOffset.UtcNow.AddHours(-2))}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, withHeader.StatusCode);
    }

    [Fact]
    public async Task Only_the_hosts_request_lines_carry_a_query_token_and_no_TokenVerifier_or_authentication_log_does()
    {
        // Each way a query token travels: accepted, ignored elsewhere, refused beside a header, rejected as expired.
        await using (var hub = Hub(queryToken: sample.Mint(), skipNegotiation: true))
        {
            await hub.StartAsync();
            await hub.InvokeAsync<string>("WhoAmI");
        }

        var token = sample.Mint();
        await using (var both = Hub(providedToken: token, queryToken: token))
        {
            Assert.Equal(400, await RefusedStatusAsync(both));
        }

        await using (var expired = Hub(queryToken: sample.Mint(o => o.IssuedAt = DateTimeOffset.UtcNow.AddHours(-2)), skipNegotiation: true))
        {
            Assert.Equal(401, await RefusedStatusAsync(expired));
        }

        using var client = sample.CreateClient();
        (await client.GetAsync(new Uri($"/me?access_token={sample.Mint()}", UriKind.Relative))).Dispose();

        var records = sample.Logs.Collector.GetSnapshot();
        Assert.Contains(records, r => r.Id.Id == 7301);
        Assert.Contains(records, r => r.Id.Id == 7302);
        Assert.Contains(records, r => r.Id.Id == 7303);
        var fragments = sample.MintedTokens.SelectMany(t => t.Split('.').Append(t)).Where(s => s.Length >= 8).Distinct().ToArray();
        var carrying = records
            .Where(r => (r.StructuredState ?? []).Select(kv => kv.Value ?? "").Append(r.Message).Append(r.Exception?.ToString() ?? "")
                .Any(text => fragments.Any(f => text.Contains(f, StringComparison.Ordinal))))
            .ToList();

        // ASP.NET Core's own "Request starting/finished" lines print the URL with its query string, at Information: the
        // README says to keep Microsoft.AspNetCore.Hosting at Warning (the templates' default) where hubs take query tokens.
        Assert.NotEmpty(carrying);
        Assert.All(carrying, r =>
        {
            Assert.Equal("Microsoft.AspNetCore.Hosting.Diagnostics", r.Category);
            Assert.Contains(r.Id.Id, new[] { 1, 2 });
            Assert.Equal(LogLevel.Information, r.Level);
        });
    }
}
