using TokenVerifier.Alb;
using TokenVerifier.Validation;

namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>One ALB scheme's validators; <see cref="AccessToken"/> is null when the access token is not validated.</summary>
internal sealed record AlbSchemeValidator(AlbDataTokenValidator Data, UserPoolTokenValidator? AccessToken);
