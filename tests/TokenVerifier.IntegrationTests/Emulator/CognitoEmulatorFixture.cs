using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace TokenVerifier.IntegrationTests.Emulator;

/// <summary>
/// Per test run: cognito-local with two pools (clients, users, groups created through its JSON API), and the sample API
/// on Kestrel on loopback, configured for those pools only through configuration keys, as a deployment would be.
/// Everything is shut down afterwards, also when setting up fails.
/// </summary>
public sealed class CognitoEmulatorFixture : IAsyncLifetime, IDisposable
{
    /// <summary>Every seeded user's password.</summary>
    public const string Password = "Passw0rd!";

    /// <summary>How long tokens of <see cref="ShortLivedClientId"/> last.</summary>
    public static readonly TimeSpan ShortTokenValidity = TimeSpan.FromSeconds(5);

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private CognitoLocalProcess? _emulator;
    private SampleFactory? _sample;

    /// <summary>
    /// The API's clock. It starts a minute before any token is issued and only moves when a test moves it, so token
    /// lifetimes are checked against exact instants instead of against the wall clock.
    /// </summary>
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow.AddMinutes(-1));

    /// <summary>The emulator's address.</summary>
    public Uri Endpoint => _emulator!.Endpoint;

    /// <summary>The emulator's JSON API, for what clients do without a script (refreshing tokens).</summary>
    public CognitoApi Cognito { get; private set; } = null!;

    /// <summary>The pool the API's default scheme trusts. Users: alice (group admins), bob (group editors).</summary>
    public EmulatorPool Orders { get; private set; } = null!;

    /// <summary>A second pool, trusted only by the scheme of <c>/any-pool/me</c>. User: carol.</summary>
    public EmulatorPool Partners { get; private set; } = null!;

    /// <summary>The app client of <see cref="Orders"/> the API is configured for.</summary>
    public string WebClientId { get; private set; } = null!;

    /// <summary>Another app client of <see cref="Orders"/>, not configured in the API.</summary>
    public string MobileClientId { get; private set; } = null!;

    /// <summary>A configured app client of <see cref="Orders"/> whose tokens last <see cref="ShortTokenValidity"/>.</summary>
    public string ShortLivedClientId { get; private set; } = null!;

    /// <summary>The app client of <see cref="Partners"/>.</summary>
    public string PartnerClientId { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        try
        {
            _emulator = await CognitoLocalProcess.StartAsync(_http);
            Cognito = new CognitoApi(_http, _emulator.Endpoint);
            await SeedAsync(Cognito);
            _sample = new SampleFactory(Settings(), Clock);
            _sample.UseKestrel(0);
            _sample.StartServer();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        // Runs twice when setting up fails (here, then from xunit), so each part is released once.
        var sample = Interlocked.Exchange(ref _sample, null);
        var emulator = Interlocked.Exchange(ref _emulator, null);
        try
        {
            if (sample is not null)
            {
                await sample.DisposeAsync();
            }
        }
        finally
        {
            if (emulator is not null)
            {
                await emulator.DisposeAsync();
            }

            _http.Dispose();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // DisposeAsync has already stopped everything; this satisfies owners of disposable fields and is idempotent.
        _sample?.Dispose();
        _http.Dispose();
    }

    /// <summary>Signs <paramref name="username"/> in to <paramref name="pool"/> through <paramref name="clientId"/> with a real JavaScript client.</summary>
    public Task<TokenSet> SignInAsync(ClientLibrary library, EmulatorPool pool, string clientId, string username) =>
        NodeSignIn.SignInAsync(library, Endpoint, pool.Id, clientId, username, Password);

    /// <summary>Revokes <paramref name="refreshToken"/> of <paramref name="clientId"/> with a real JavaScript client, as signing out does.</summary>
    public Task RevokeTokenAsync(string clientId, string refreshToken) =>
        NodeSignIn.RevokeTokenAsync(Endpoint, clientId, refreshToken);

    /// <summary>GETs <paramref name="path"/> of the sample over its Kestrel socket with <c>Authorization: Bearer <paramref name="token"/></c>.</summary>
    public Task<HttpResponseMessage> GetAsync(string path, string token) => SendAsync(HttpMethod.Get, path, token);

    /// <summary>Calls the sample over its Kestrel socket with <c>Authorization: Bearer <paramref name="token"/></c>.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var client = _sample!.CreateClient();
        return await client.SendAsync(request);
    }

    private static void AddPool(Dictionary<string, string?> settings, string prefix, EmulatorPool pool, params string[] clientIds)
    {
        // Emulator pool ids (local_…) are not AWS pool ids; setting Issuer is what makes the options accept them.
        settings[$"{prefix}:UserPoolId"] = pool.Id;
        settings[$"{prefix}:Issuer"] = pool.Issuer;
        settings[$"{prefix}:JwksUri"] = pool.JwksUri;
        for (var i = 0; i < clientIds.Length; i++)
        {
            settings[$"{prefix}:ClientIds:{i}"] = clientIds[i];
        }
    }

    private async Task SeedAsync(CognitoApi cognito)
    {
        var issuerBase = Endpoint.ToString().TrimEnd('/');
        var orders = await cognito.CreateUserPoolAsync("orders");
        Orders = new EmulatorPool(orders, $"{issuerBase}/{orders}");
        WebClientId = await cognito.CreateUserPoolClientAsync(orders, "web");
        MobileClientId = await cognito.CreateUserPoolClientAsync(orders, "mobile");
        ShortLivedClientId = await cognito.CreateUserPoolClientAsync(orders, "short-lived", ShortTokenValidity);
        await cognito.CreateGroupAsync(orders, "admins");
        await cognito.CreateGroupAsync(orders, "editors");
        await cognito.CreateUserAsync(orders, "alice", Password, "alice@example.test");
        await cognito.AddUserToGroupAsync(orders, "alice", "admins");
        await cognito.CreateUserAsync(orders, "bob", Password, "bob@example.test");
        await cognito.AddUserToGroupAsync(orders, "bob", "editors");

        var partners = await cognito.CreateUserPoolAsync("partners");
        Partners = new EmulatorPool(partners, $"{issuerBase}/{partners}");
        PartnerClientId = await cognito.CreateUserPoolClientAsync(partners, "partner-web");
        await cognito.CreateUserAsync(partners, "carol", Password, "carol@example.test");
    }

    // The keys an operator would put in appsettings.json or environment variables (UserPool__Issuer=…).
    private Dictionary<string, string?> Settings()
    {
        var settings = new Dictionary<string, string?>();
        AddPool(settings, "UserPool", Orders, WebClientId, ShortLivedClientId);
        AddPool(settings, "UserPoolIdTokens", Orders, WebClientId);
        settings["UserPoolIdTokens:TokenUse:0"] = "id";
        AddPool(settings, "UserPoolAll:Pools:0", Orders, WebClientId);
        AddPool(settings, "UserPoolAll:Pools:1", Partners, PartnerClientId);
        return settings;
    }

    private sealed class SampleFactory(Dictionary<string, string?> settings, TimeProvider clock) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureTestServices(services => services.AddSingleton(clock));
        }
    }
}
