namespace TokenVerifier.AspNetCore.Authorization;

/// <summary>Which kind of caller a configured policy (<see cref="UserPoolPolicyDefinition.Caller"/>) admits.</summary>
public enum UserPoolCaller
{
    /// <summary>Users and machine clients alike (no caller requirement).</summary>
    Any = 0,

    /// <summary>Signed-in users only (<see cref="UserRequirement"/>).</summary>
    User = 1,

    /// <summary>Machine clients of the client-credentials grant only (<see cref="MachineClientRequirement"/>).</summary>
    MachineClient = 2,
}
