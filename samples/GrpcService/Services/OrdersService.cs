using Grpc.Core;
using GrpcService.Orders;
using Microsoft.AspNetCore.Authorization;
using TokenVerifier.AspNetCore.Authorization;

namespace GrpcService.Services;

/// <summary>
/// Orders over gRPC. Every call needs a valid access token (<c>[Authorize]</c>), each method its own scope or group; the
/// handler's 401 and 403 reach a gRPC client as <c>Unauthenticated</c> and <c>PermissionDenied</c>.
/// </summary>
[Authorize]
public sealed class OrdersService : OrderService.OrderServiceBase
{
    /// <inheritdoc />
    [RequireScope("orders/read")]
    public override Task<Order> GetOrder(GetOrderRequest request, ServerCallContext context) =>
        Task.FromResult(new Order { Id = request.Id, Item = "coffee", PlacedBy = Caller(context) });

    /// <inheritdoc />
    [RequireScope("orders/write")]
    public override Task<Order> PlaceOrder(PlaceOrderRequest request, ServerCallContext context) =>
        Task.FromResult(new Order { Id = 2, Item = request.Item, PlacedBy = Caller(context) });

    /// <inheritdoc />
    [RequireGroup("admins")]
    public override Task<CancelAllReply> CancelAll(CancelAllRequest request, ServerCallContext context) =>
        Task.FromResult(new CancelAllReply { Cancelled = 42 });

    private static string Caller(ServerCallContext context) => context.GetHttpContext().User.Identity!.Name!;
}
