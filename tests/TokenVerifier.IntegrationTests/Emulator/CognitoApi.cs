using System.Net.Http.Headers;
using System.Text.Json;

namespace TokenVerifier.IntegrationTests.Emulator;

/// <summary>
/// The emulator's administration calls and the refresh flow over its JSON wire protocol (the same requests the AWS SDKs send), from plain
/// <see cref="HttpClient"/>: no AWS SDK for .NET, no request signing.
/// </summary>
public sealed class CognitoApi(HttpClient http, Uri endpoint)
{
    private static readonly MediaTypeHeaderValue AmazonJson = new("application/x-amz-json-1.1");

    /// <summary>Creates a pool and returns its id (<c>local_XXXXXXXX</c> on the emulator).</summary>
    public async Task<string> CreateUserPoolAsync(string name) =>
        (await CallAsync("CreateUserPool", new { PoolName = name })).GetProperty("UserPool").GetProperty("Id").GetString()!;

    /// <summary>Creates an app client without a secret and returns its id.</summary>
    /// <param name="poolId">The pool.</param>
    /// <param name="name">The client's name.</param>
    /// <param name="tokenValidity">Lifetime of its access and ID tokens; the pool default (24 h) when null.</param>
    public async Task<string> CreateUserPoolClientAsync(string poolId, string name, TimeSpan? tokenValidity = null)
    {
        object request = tokenValidity is { } validity
            ? new
            {
                UserPoolId = poolId,
                ClientName = name,
                AccessTokenValidity = (int)validity.TotalSeconds,
                IdTokenValidity = (int)validity.TotalSeconds,

                // Always explicit: the emulator's default units differ per token (the ID token's is minutes).
                TokenValidityUnits = new { AccessToken = "seconds", IdToken = "seconds" },
            }
            : new { UserPoolId = poolId, ClientName = name };
        return (await CallAsync("CreateUserPoolClient", request)).GetProperty("UserPoolClient").GetProperty("ClientId").GetString()!;
    }

    /// <summary>Creates a confirmed user with a permanent password, without sending any welcome message.</summary>
    public async Task CreateUserAsync(string poolId, string username, string password, string email)
    {
        await CallAsync("AdminCreateUser", new
        {
            UserPoolId = poolId,
            Username = username,
            MessageAction = "SUPPRESS",
            UserAttributes = new[] { new { Name = "email", Value = email }, new { Name = "email_verified", Value = "true" } },
        });
        await CallAsync("AdminSetUserPassword", new { UserPoolId = poolId, Username = username, Password = password, Permanent = true });
    }

    /// <summary>Creates a group.</summary>
    public Task CreateGroupAsync(string poolId, string group) =>
        CallAsync("CreateGroup", new { UserPoolId = poolId, GroupName = group });

    /// <summary>Adds a user to a group.</summary>
    public Task AddUserToGroupAsync(string poolId, string username, string group) =>
        CallAsync("AdminAddUserToGroup", new { UserPoolId = poolId, Username = username, GroupName = group });

    /// <summary>
    /// <c>InitiateAuth</c> with <c>REFRESH_TOKEN_AUTH</c>, as a client does when its access token runs out; returns the new
    /// access token.
    /// </summary>
    /// <exception cref="CognitoApiException">The emulator refused, such as <c>NotAuthorizedException</c> for a revoked refresh token.</exception>
    public async Task<string> RefreshAsync(string clientId, string refreshToken)
    {
        var response = await CallAsync("InitiateAuth", new
        {
            AuthFlow = "REFRESH_TOKEN_AUTH",
            ClientId = clientId,

            // A dictionary keeps the upper-case key the protocol requires.
            AuthParameters = new Dictionary<string, string> { ["REFRESH_TOKEN"] = refreshToken },
        });
        return response.GetProperty("AuthenticationResult").GetProperty("AccessToken").GetString()!;
    }

    private async Task<JsonElement> CallAsync(string operation, object request)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, endpoint);
        message.Headers.Add("X-Amz-Target", $"AWSCognitoIdentityProviderService.{operation}");
        message.Content = new StringContent(JsonSerializer.Serialize(request));
        message.Content.Headers.ContentType = AmazonJson;
        using var response = await http.SendAsync(message);
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        if (!response.IsSuccessStatusCode)
        {
            // Errors carry {"__type","message"}; neither echoes a password or token.
            var errorType = json.RootElement.TryGetProperty("__type", out var type) ? type.GetString() : null;
            throw new CognitoApiException(operation, (int)response.StatusCode, errorType, body);
        }

        return json.RootElement.Clone();
    }
}
