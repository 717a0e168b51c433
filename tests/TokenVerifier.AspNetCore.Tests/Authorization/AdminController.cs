using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using TokenVerifier.AspNetCore.Authorization;

namespace TokenVerifier.AspNetCore.Tests.Authorization;

[ApiController]
[Route("mvc/admin")]
public sealed class AdminController : ControllerBase
{
    [HttpGet("group")]
    [RequireGroup("admins", "ops")]
    public IActionResult Group() => Ok("group");

    // Declared in configuration by the tests that host this controller.
    [HttpGet("policy")]
    [Authorize(Policy = "admins")]
    public IActionResult Policy() => Ok("policy");

    [HttpGet("open")]
    public IActionResult Open() => Ok("open");
}
