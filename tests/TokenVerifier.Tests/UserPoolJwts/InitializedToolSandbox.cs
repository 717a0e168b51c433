namespace TokenVerifier.Tests.UserPoolJwts;

/// <summary>One sandbox after <c>init</c>, shared by tests that only read it (a 2048-bit key takes seconds on a busy machine).</summary>
public sealed class InitializedToolSandbox : IDisposable
{
    public InitializedToolSandbox() => Sandbox.Succeed("init");

    internal ToolSandbox Sandbox { get; } = new();

    public void Dispose() => Sandbox.Dispose();
}
