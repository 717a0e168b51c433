using TokenVerifier.Alb;

namespace TokenVerifier.Tests.Alb;

public sealed class AlbSignerArnTests
{
    [Theory]
    [InlineData("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188", "us-east-1")]
    [InlineData("arn:aws-us-gov:elasticloadbalancing:us-gov-west-1:123456789012:loadbalancer/app/a/0123456789abcdef", "us-gov-west-1")]
    [InlineData("arn:aws-cn:elasticloadbalancing:cn-north-1:123456789012:loadbalancer/app/a/0123456789abcdef", "cn-north-1")]
    public void A_load_balancer_ARN_gives_its_region(string arn, string region)
    {
        Assert.Equal(region, AlbSignerArn.TryParse(arn, out _)!.Region);
    }

    [Theory]
    [InlineData("")]
    [InlineData("arn:aws:elasticloadbalancing")]
    [InlineData("arn:aws:elasticloadbalancing:.:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188")]
    [InlineData("arn:aws:elasticloadbalancing:/:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188")]
    [InlineData("arn:aws:elasticloadbalancing:us-east-1.evil.com/x:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188")]
    [InlineData("arn:aws:elasticloadbalancing:us-east-\u0661:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188")]
    [InlineData("arn:aws:elasticloadbalancing:US-EAST-1:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188")]
    [InlineData("arn:aws:elasticloadbalancing:us-east-1:12345678901:loadbalancer/app/my-alb/50dc6c495c0c9188")]
    [InlineData("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/my-nlb/50dc6c495c0c9188")]
    [InlineData("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/my-tg/50dc6c495c0c9188")]
    [InlineData("arn:aws:cognito-idp:us-east-1:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188")]
    [InlineData("arn:evil:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188")]
    [InlineData("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188\n")]
    public void Anything_else_is_refused_with_a_reason(string arn)
    {
        Assert.Null(AlbSignerArn.TryParse(arn, out var error));
        Assert.NotNull(error);
    }
}
