using GrpcService.Services;

namespace GrpcService;

// A named entry point, not top-level statements: those make a global Program, which would clash with the WebApi
// sample's wherever both samples are referenced (the README's compiled snippets).
internal static class Program
{
    private static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);

        // Development without a configured pool runs on an embedded, real signing pool (as the WebApi sample does); with a
        // pool configured, the service verifies real Cognito tokens and the token endpoint does not exist.
        builder.Services.AddLocalUserPool(builder.Configuration, builder.Environment);
        builder.Services.AddUserPoolAuth(builder.Configuration);
        builder.Services.AddGrpc();

        var app = builder.Build();

        app.UseAuthentication();
        app.UseAuthorization();

        app.MapGrpcService<OrdersService>();

        // Development with the embedded pool only, loopback only: POST /dev/token (HTTP/2, as every endpoint here).
        app.MapDevTokenEndpoint();

        app.Run();
    }
}
