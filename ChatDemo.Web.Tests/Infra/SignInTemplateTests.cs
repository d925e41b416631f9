using ChatDemo.Web.Configuration;

namespace ChatDemo.Web.Tests.Infra;

/// <summary>infra/template.yaml's accounts: no sign-in, an existing OpenID Connect provider, or a Cognito user pool it creates.</summary>
public sealed class SignInTemplateTests
{
    private static readonly string[] CognitoResources = ["UserPool", "UserPoolClient", "UserPoolDomain", "ChatAdminsGroup"];

    private readonly CloudFormationTemplate _template = CloudFormationTemplate.Load(Repository.TemplatePath);

    private ChatOptions AppOptions(StackValues values) => FunctionEnvironment.ValidatedOptions(_template, values);

    private StackValues Stack(Dictionary<string, string>? parameters = null) => new(_template, parameters);

    private void AssertAllRulesHold(StackValues values)
    {
        foreach (var rule in _template.Root["Rules"]!.AsObject())
            Assert.True(values.RuleHolds(rule.Key), $"rule {rule.Key} fails for these parameters");
    }

    [Fact]
    public void ByDefaultTheStackIsGuestsOnlyWithNoUserPool()
    {
        var values = Stack();
        AssertAllRulesHold(values);
        var options = AppOptions(values);

        Assert.True(options.Auth.Guests);
        Assert.False(options.Auth.OidcEnabled);
        Assert.Null(options.Auth.Admins);
        Assert.All(CognitoResources, name => Assert.False(values.Exists(_template.Resource(name)), $"{name} exists without SignIn=Cognito"));
    }

    [Fact]
    public void AnExistingProviderIsPassedToTheFunctionAndCanTurnGuestsOff()
    {
        var values = Stack(new()
        {
            ["SignIn"] = "Provider", ["OidcAuthority"] = "https://login.example.com/tenant/v2.0", ["OidcClientId"] = "1b2c3d4e",
            ["AdminsClaim"] = "roles=chat-admin", ["GuestsAllowed"] = "false",
        });
        AssertAllRulesHold(values);
        var options = AppOptions(values);

        Assert.False(options.Auth.Guests);
        Assert.Equal("https://login.example.com/tenant/v2.0", options.Auth.Oidc.Authority);
        Assert.Equal("1b2c3d4e", options.Auth.Oidc.ClientId);
        Assert.Equal("roles=chat-admin", options.Auth.Admins);
        Assert.All(CognitoResources, name => Assert.False(values.Exists(_template.Resource(name))));
    }

    [Fact]
    public void CognitoCreatesAPoolWithAPublicCodeFlowClientForThePagesUrl()
    {
        var values = Stack(new() { ["SignIn"] = "Cognito" });
        AssertAllRulesHold(values);
        Assert.All(CognitoResources, name => Assert.True(values.Exists(_template.Resource(name)), $"{name} is missing with SignIn=Cognito"));

        var options = AppOptions(values);
        Assert.True(options.Auth.Guests);
        Assert.Equal("https://cognito-idp.us-east-1.amazonaws.com/chatdemo-UserPool-1A2B3C4D5E6F", options.Auth.Oidc.Authority);
        Assert.Equal("chatdemo-UserPoolClient-1A2B3C4D5E6F", options.Auth.Oidc.ClientId);
        Assert.Equal("cognito:groups=chat-admins", options.Auth.Admins);
        Assert.Equal("chat-admins", (string?)_template.Properties("ChatAdminsGroup")["GroupName"]);

        var client = values.Resolve(_template.Properties("UserPoolClient"))!;
        Assert.Equal("false", (string?)client["GenerateSecret"]);
        Assert.Equal(["code"], client["AllowedOAuthFlows"]!.AsArray().Select(f => (string)f!));
        Assert.Contains("openid", client["AllowedOAuthScopes"]!.AsArray().Select(s => (string)s!));
        // The page redirects back to its own origin and path: the PageUrl output.
        var pageUrl = values.String(_template.Root["Outputs"]!["PageUrl"]!["Value"]);
        Assert.Equal([pageUrl], client["CallbackURLs"]!.AsArray().Select(u => (string)u!));
        Assert.Equal($"https://{StackValues.DistributionDomain}/", pageUrl);
    }

    [Fact]
    public void WithACustomPageDomainBothPageAddressesMaySignIn()
    {
        var values = Stack(new()
        {
            ["SignIn"] = "Cognito", ["PageDomainName"] = "chat.example.com",
            ["PageCertificateArn"] = "arn:aws:acm:us-east-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab",
        });
        var client = values.Resolve(_template.Properties("UserPoolClient"))!;
        Assert.Equal([$"https://{StackValues.DistributionDomain}/", "https://chat.example.com/"],
            client["CallbackURLs"]!.AsArray().Select(u => (string)u!));
    }

    [Fact]
    public void TheHostedDomainPrefixIsUniquePerStackAndFreeOfReservedWords()
    {
        // chatdemo-<the stack id's UUID>: lowercase letters, digits and hyphens, 45 characters.
        var domain = _template.Properties("UserPoolDomain")["Domain"]!.ToJsonString();
        Assert.Equal("""{"Fn::Join":["-",["chatdemo",{"Fn::Select":["2",{"Fn::Split":["/",{"Ref":"AWS::StackId"}]}]}]]}""", domain);
    }

    public static TheoryData<Dictionary<string, string>, string> RefusedParameters => new()
    {
        { new() { ["SignIn"] = "Provider", ["OidcClientId"] = "abc" }, "ProviderSignInNeedsItsAuthorityAndClient" },
        { new() { ["SignIn"] = "Provider", ["OidcAuthority"] = "https://id.example.com" }, "ProviderSignInNeedsItsAuthorityAndClient" },
        { new() { ["GuestsAllowed"] = "false" }, "NoGuestsNeedsSignIn" },
    };

    [Theory]
    [MemberData(nameof(RefusedParameters))]
    public void ParametersThatCouldNotWorkAreRefusedBeforeAnythingIsCreated(Dictionary<string, string> parameters, string rule) =>
        Assert.False(Stack(parameters).RuleHolds(rule));

    [Theory]
    [InlineData("https://id.example.com/realms/chat", true)]
    [InlineData("http://id.example.com", false)]
    [InlineData("https://id.example.com/?tenant=1", false)]
    [InlineData("", true)]
    public void TheAuthorityParameterTakesOnlyAnHttpsUrl(string authority, bool allowed)
    {
        var pattern = (string)_template.Parameters["OidcAuthority"]!["AllowedPattern"]!;
        Assert.Equal(allowed, System.Text.RegularExpressions.Regex.IsMatch(authority, pattern));
    }
}
