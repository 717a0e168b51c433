using TokenVerifier.UserPoolJwts.Commands;

return UserPoolJwtsCli.Run(args, Console.Out, Console.Error);
