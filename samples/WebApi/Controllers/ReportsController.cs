using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using TokenVerifier.AspNetCore.Authorization;

namespace WebApi.Controllers;

/// <summary>Classic attributes: a configuration-declared policy on the class, a scope requirement on one action.</summary>
[ApiController]
[Route("reports")]
[Authorize(Policy = "admins")]
public sealed class ReportsController : ControllerBase
{
    private static readonly string[] Reports = ["daily", "weekly"];

    /// <summary>Any admin.</summary>
    [HttpGet]
    public IActionResult List() => Ok(Reports);

    /// <summary>Admins whose token also carries the reports/export scope.</summary>
    [HttpPost("export")]
    [RequireScope("reports/export")]
    public IActionResult Export() => Ok(new { exported = true });

    /// <summary>Admins who are also auditors.</summary>
    [HttpGet("audit")]
    [RequireGroup("auditors")]
    public IActionResult Audit() => Ok(new { audited = true });
}
