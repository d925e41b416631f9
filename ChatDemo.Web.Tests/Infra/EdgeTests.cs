using System.Text.Json.Nodes;

namespace ChatDemo.Web.Tests.Infra;

/// <summary>
/// The edge in infra/template.yaml: CloudFront in front of the HTTP API, what it caches and what it
/// never does, the app's own headers kept, and the optional custom domains.
/// </summary>
public sealed class EdgeTests
{
    // AWS's managed policies (CloudFront developer guide, "Use managed cache policies" and
    // "Use managed origin request policies").
    private const string CachingDisabled = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
    private const string AllViewerExceptHostHeader = "b689b0a8-53d0-40ab-baf2-68738e2966ac";

    private const string CertificateInUsEast1 = "arn:aws:acm:us-east-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab";
    private const string CertificateInEuWest1 = "arn:aws:acm:eu-west-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab";

    private readonly CloudFormationTemplate _template = CloudFormationTemplate.Load(Repository.TemplatePath);

    private JsonObject Distribution => _template.Properties("PageDistribution")["DistributionConfig"]!.AsObject();

    [Fact]
    public void TheDistributionsOnlyOriginIsTheHttpApiOverHttps()
    {
        var origin = Assert.Single(Distribution["Origins"]!.AsArray())!;
        Assert.Equal("""{"Fn::Sub":"${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}"}""", origin["DomainName"]!.ToJsonString());
        Assert.Equal("https-only", (string?)origin["CustomOriginConfig"]!["OriginProtocolPolicy"]);
        Assert.Null(origin["OriginPath"]); // the HTTP API's $default stage is at its root
        Assert.Equal("true", (string?)Distribution["Enabled"]);
    }

    [Theory]
    [InlineData("/api/*")]
    [InlineData("/swagger*")]
    [InlineData("/health*")]
    public void DynamicPathsAreNeverCachedAndReachTheAppWithTheViewersRequest(string pathPattern)
    {
        var behavior = Assert.Single(Distribution["CacheBehaviors"]!.AsArray(), b => (string?)b!["PathPattern"] == pathPattern)!;

        Assert.Equal("app", (string?)behavior["TargetOriginId"]);
        Assert.Equal(CachingDisabled, (string?)behavior["CachePolicyId"]);
        // Query strings (history paging), Authorization and Origin reach the app; the Host stays the API's own.
        Assert.Equal(AllViewerExceptHostHeader, (string?)behavior["OriginRequestPolicyId"]);
        Assert.Null(behavior["ForwardedValues"]);
        Assert.Null(behavior["DefaultTTL"]);
        Assert.NotEqual("allow-all", (string?)behavior["ViewerProtocolPolicy"]);
    }

    [Fact]
    public void TheRestApiTakesEveryMethodItsEndpointsUseAndRefusesPlainHttp()
    {
        var api = Assert.Single(Distribution["CacheBehaviors"]!.AsArray(), b => (string?)b!["PathPattern"] == "/api/*")!;
        Assert.Contains("POST", api["AllowedMethods"]!.AsArray().Select(m => (string?)m)); // POST /api/sessions
        Assert.Contains("OPTIONS", api["AllowedMethods"]!.AsArray().Select(m => (string?)m)); // CORS preflight
        // A redirect would turn a POST into a GET: plain http is refused instead.
        Assert.Equal("https-only", (string?)api["ViewerProtocolPolicy"]);
        // Every path the app serves other than the page's files is one of the uncached behaviours.
        Assert.Equal(["/api/*", "/health*", "/swagger*"],
            Distribution["CacheBehaviors"]!.AsArray().Select(b => (string)b!["PathPattern"]!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ThePagesFilesAreCachedByTheAppsOwnValidatorsAndNothingFromTheViewer()
    {
        var page = Distribution["DefaultCacheBehavior"]!;
        Assert.Equal("app", (string?)page["TargetOriginId"]);
        Assert.Equal("""{"Ref":"PageCachePolicy"}""", page["CachePolicyId"]!.ToJsonString());
        Assert.Equal(["GET", "HEAD"], page["AllowedMethods"]!.AsArray().Select(m => (string)m!));
        Assert.Equal("redirect-to-https", (string?)page["ViewerProtocolPolicy"]);
        Assert.Null(page["OriginRequestPolicyId"]); // no viewer Host header: API Gateway routes by its own name

        var policy = _template.Properties("PageCachePolicy")["CachePolicyConfig"]!;
        // MinTTL 0: a Cache-Control the app sends (no-cache, no-store, max-age) is obeyed.
        Assert.Equal("0", (string?)policy["MinTTL"]);
        // Without one (the app sends ETag and Last-Modified only) a file is revalidated within a minute.
        Assert.InRange(int.Parse((string)policy["DefaultTTL"]!, System.Globalization.CultureInfo.InvariantCulture), 1, 300);
        var key = policy["ParametersInCacheKeyAndForwardedToOrigin"]!;
        Assert.Equal("none", (string?)key["HeadersConfig"]!["HeaderBehavior"]);
        Assert.Equal("none", (string?)key["CookiesConfig"]!["CookieBehavior"]);
        Assert.Equal("none", (string?)key["QueryStringsConfig"]!["QueryStringBehavior"]);
        Assert.Equal("true", (string?)key["EnableAcceptEncodingBrotli"]);
    }

    [Fact]
    public void TheAppsSecurityHeadersReachTheBrowserUnchanged()
    {
        // Every behaviour uses the one response headers policy, and it sets no header the app sets:
        // Content-Security-Policy (with the WebSocket's origin), X-Frame-Options, X-Content-Type-Options,
        // Referrer-Policy. It only adds HSTS, without overriding one the app might send.
        var behaviors = Distribution["CacheBehaviors"]!.AsArray().Append(Distribution["DefaultCacheBehavior"]).ToList();
        Assert.All(behaviors, b => Assert.Equal("""{"Ref":"EdgeResponseHeadersPolicy"}""", b!["ResponseHeadersPolicyId"]!.ToJsonString()));

        var config = _template.Properties("EdgeResponseHeadersPolicy")["ResponseHeadersPolicyConfig"]!.AsObject();
        Assert.Equal(["Comment", "Name", "SecurityHeadersConfig"], config.Select(p => p.Key).Order(StringComparer.Ordinal));
        var security = config["SecurityHeadersConfig"]!.AsObject();
        Assert.Equal(["StrictTransportSecurity"], security.Select(p => p.Key));
        Assert.Equal("false", (string?)security["StrictTransportSecurity"]!["Override"]);
    }

    [Fact]
    public void WithoutAPageDomainTheDistributionUsesItsOwnNameAndCertificate()
    {
        var values = new StackValues(_template);
        var config = values.Resolve(Distribution)!;

        Assert.Null(config["Aliases"]);
        Assert.Equal("true", (string?)config["ViewerCertificate"]!["CloudFrontDefaultCertificate"]);
        Assert.False(values.Condition("HasPageDomain"));
    }

    [Fact]
    public void APageDomainBecomesTheDistributionsAliasWithItsUsEast1Certificate()
    {
        var values = new StackValues(_template, new Dictionary<string, string>
        {
            ["PageDomainName"] = "chat.example.com", ["PageCertificateArn"] = CertificateInUsEast1,
        });
        var config = values.Resolve(Distribution)!;

        Assert.Equal(["chat.example.com"], config["Aliases"]!.AsArray().Select(a => (string)a!));
        Assert.Equal(CertificateInUsEast1, (string?)config["ViewerCertificate"]!["AcmCertificateArn"]);
        Assert.Equal("sni-only", (string?)config["ViewerCertificate"]!["SslSupportMethod"]);
        Assert.Null(config["ViewerCertificate"]!["CloudFrontDefaultCertificate"]);
        Assert.True(values.RuleHolds("PageDomainNeedsItsCertificate"));

        // CloudFront takes certificates from us-east-1 only: the parameter refuses any other region.
        var pattern = (string)_template.Parameters["PageCertificateArn"]!["AllowedPattern"]!;
        Assert.Matches(pattern, CertificateInUsEast1);
        Assert.DoesNotMatch(pattern, CertificateInEuWest1);
    }

    [Theory]
    [InlineData("Page", "chat.example.com", "", false)]
    [InlineData("Page", "", CertificateInUsEast1, false)]
    [InlineData("Page", "", "", true)]
    [InlineData("Page", "chat.example.com", CertificateInUsEast1, true)]
    [InlineData("WebSocket", "ws.example.com", "", false)]
    [InlineData("WebSocket", "", CertificateInEuWest1, false)]
    [InlineData("WebSocket", "", "", true)]
    [InlineData("WebSocket", "ws.example.com", CertificateInEuWest1, true)]
    public void ADomainAndItsCertificateComeTogetherOrNotAtAll(string which, string domain, string certificate, bool holds)
    {
        var values = new StackValues(_template, new Dictionary<string, string>
        {
            [$"{which}DomainName"] = domain, [$"{which}CertificateArn"] = certificate,
        });

        Assert.Equal(holds, values.RuleHolds($"{which}DomainNeedsItsCertificate"));
    }

    [Fact]
    public void AWebSocketDomainIsARegionalNameMappedToTheStageAtItsRootAndNothingExistsWithoutIt()
    {
        var domain = _template.Resource("WebSocketDomain");
        var mapping = _template.Resource("WebSocketDomainMapping");
        Assert.Equal("HasWebSocketDomain", (string?)domain["Condition"]);
        Assert.Equal("HasWebSocketDomain", (string?)mapping["Condition"]);

        var configuration = Assert.Single(domain["Properties"]!["DomainNameConfigurations"]!.AsArray())!;
        Assert.Equal("REGIONAL", (string?)configuration["EndpointType"]);
        Assert.Equal("""{"Ref":"WebSocketCertificateArn"}""", configuration["CertificateArn"]!.ToJsonString());
        Assert.Equal("""{"Ref":"WebSocketDomainName"}""", domain["Properties"]!["DomainName"]!.ToJsonString());

        var properties = mapping["Properties"]!;
        Assert.Equal("""{"Ref":"WebSocketDomain"}""", properties["DomainName"]!.ToJsonString());
        Assert.Equal("""{"Ref":"WebSocketApi"}""", properties["ApiId"]!.ToJsonString());
        Assert.Equal("""{"Ref":"WebSocketStage"}""", properties["Stage"]!.ToJsonString());
        Assert.Null(properties["ApiMappingKey"]); // wss://{name}, no path: what Chat__WebSocketUrl says

        var defaults = new StackValues(_template);
        Assert.False(defaults.Exists(domain));
        Assert.False(defaults.Exists(mapping));
        var named = new StackValues(_template, new Dictionary<string, string> { ["WebSocketDomainName"] = "ws.example.com", ["WebSocketCertificateArn"] = CertificateInEuWest1 });
        Assert.True(named.Exists(domain));
        Assert.True(named.Exists(mapping));
    }

    [Fact]
    public void EveryConditionedResourceIsAbsentWithTheDefaultParameters()
    {
        var defaults = new StackValues(_template);
        var optional = _template.Resources.Where(r => r.Value!["Condition"] is not null).Select(r => r.Key).ToList();

        // The API Gateway logging role is the one created by default (CreateApiGatewayLoggingRole=true).
        Assert.Equal(
            [
                "AlarmEmailSubscription", "ApiGatewayAccount", "ApiGatewayLoggingRole", "ChatAdminsGroup", "UserPool", "UserPoolClient",
                "UserPoolDomain", "WebSocketDomain", "WebSocketDomainMapping",
            ],
            optional.Order(StringComparer.Ordinal));
        Assert.Equal(["ApiGatewayAccount", "ApiGatewayLoggingRole"],
            optional.Where(id => defaults.Exists(_template.Resource(id))).Order(StringComparer.Ordinal));
        var withoutRole = new StackValues(_template, new Dictionary<string, string> { ["CreateApiGatewayLoggingRole"] = "false" });
        Assert.DoesNotContain(optional, id => withoutRole.Exists(_template.Resource(id)));
    }
}
