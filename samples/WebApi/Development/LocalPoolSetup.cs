using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.Keys;
using TokenVerifier.Testing;

namespace WebApi.Development;

/// <summary>Wires the embedded <see cref="LocalUserPool"/>: its keys are served to the verifier in process, never over the network.</summary>
internal static class LocalPoolSetup
{
    public const string PoolId = "us-east-1_LocalDev1";

    public static bool ShouldUse(WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("UserPool");
        return builder.Environment.IsDevelopment()
            && string.IsNullOrWhiteSpace(section["UserPoolId"])
            && !section.GetSection("Pools").GetChildren().Any();
    }

    public static LocalUserPool Add(WebApplicationBuilder builder)
    {
        var pool = new LocalUserPool(PoolId);
        builder.Services.AddSingleton(pool);
        builder.Services.AddHttpClient(SigningKeyCacheRegistry.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(pool.CreateJwksHandler);
        builder.Services.Configure<UserPoolAuthenticationOptions>(UserPoolAuthenticationDefaults.AuthenticationScheme, options =>
        {
            options.Validation.UserPoolId = pool.UserPoolId;
            options.Validation.ClientIds = [pool.DefaultClientId];
        });
        return pool;
    }
}
