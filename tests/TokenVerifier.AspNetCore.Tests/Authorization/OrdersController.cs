using Microsoft.AspNetCore.Mvc;
using TokenVerifier.AspNetCore.Authorization;

namespace TokenVerifier.AspNetCore.Tests.Authorization;

// Requirements on the class and on actions combine: every attribute must be satisfied.
[ApiController]
[Route("mvc/orders")]
[RequireScope("orders/read", "orders/admin")]
public sealed class OrdersController : ControllerBase
{
    [HttpGet]
    public IActionResult List() => Ok("list");

    [HttpPost]
    [RequireScope("orders/write")]
    public IActionResult Create() => Ok("created");

    [HttpDelete("{id:int}")]
    [RequireGroup("admins")]
    public IActionResult Delete(int id) => Ok($"deleted {id}");
}
