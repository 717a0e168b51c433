namespace TokenVerifier.Testing;

/// <summary>The access token and ID token of one sign-in, as <see cref="LocalUserPool.SignIn"/> returns them.</summary>
public sealed class LocalTokenSet
{
    internal LocalTokenSet(string accessToken, string idToken, string subject, string originJti, string username, string clientId)
    {
        AccessToken = accessToken;
        IdToken = idToken;
        Subject = subject;
        OriginJti = originJti;
        Username = username;
        ClientId = clientId;
    }

    /// <summary>The access token (<c>token_use</c> <c>"access"</c>).</summary>
    public string AccessToken { get; }

    /// <summary>The ID token (<c>token_use</c> <c>"id"</c>).</summary>
    public string IdToken { get; }

    /// <summary>The <c>sub</c> both tokens carry.</summary>
    public string Subject { get; }

    /// <summary>The <c>origin_jti</c> both tokens carry.</summary>
    public string OriginJti { get; }

    /// <summary>The user name both tokens carry.</summary>
    public string Username { get; }

    /// <summary>The app client id: the access token's <c>client_id</c> and the ID token's <c>aud</c>.</summary>
    public string ClientId { get; }
}
