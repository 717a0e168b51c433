namespace TokenVerifier.LoadTarget;

/// <summary>What stands in front of <c>GET /me</c>.</summary>
internal enum LoadTargetMode
{
    /// <summary>No authentication at all: the ceiling.</summary>
    None,

    /// <summary>Authentication and authorization middleware around a handler that accepts everyone: the framework's own cost.</summary>
    StaticPrincipal,

    /// <summary>Our handler, <c>AddUserPoolAuth</c>.</summary>
    UserPool,

    /// <summary>Our handler bound from configuration, <c>AddUserPoolAuth(builder.Configuration)</c>, as the README shows it.</summary>
    UserPoolFromConfiguration,

    /// <summary>A plain <c>AddJwtBearer</c> set up for the same pool.</summary>
    JwtBearer,
}
