using System.Text.Json.Nodes;
using ChatDemo.Web.Configuration;

namespace ChatDemo.Web.Tests.Infra;

/// <summary>The function's environment in infra/template.yaml against the app's configuration contract.</summary>
public sealed class FunctionSettingsTests
{
    // The settings the app needs in AWS mode (README.md, "Configuration", describes each).
    private static readonly string[] AwsModeSettings =
    [
        "Chat__Store", "Chat__DynamoDb__MessagesTable", "Chat__DynamoDb__ConnectionsTable", "Chat__DynamoDb__RoomsTable", "Chat__FanOut",
        "Chat__EventBridge__BusName", "Chat__ApiGateway__ManagementEndpoint", "Chat__Sessions__SigningKey",
        "Chat__WebSocketUrl", "Chat__MessageRetentionDays", "Chat__AllowedOrigins",
    ];

    // Local-engine overrides that must never reach AWS.
    private static readonly string[] LocalOnlySettings =
        ["Chat__DynamoDb__ServiceUrl", "Chat__DynamoDb__CreateTables", "Chat__EventBridge__ServiceUrl", "Chat__Sqlite__Path"];

    private readonly CloudFormationTemplate _template = CloudFormationTemplate.Load(Repository.TemplatePath);

    private JsonObject Variables => _template.Properties("ChatFunction")["Environment"]!["Variables"]!.AsObject();

    [Fact]
    public void EverySettingTheAppRequiresInAwsModeIsSetOnTheFunction()
    {
        foreach (var setting in AwsModeSettings)
            Assert.True(Variables.ContainsKey(setting), $"{setting} is not set on ChatFunction.");
        foreach (var setting in LocalOnlySettings)
            Assert.False(Variables.ContainsKey(setting), $"{setting} points the app at a local engine; it must not be set on AWS.");

        Assert.Equal(StoreKinds.DynamoDb, (string?)Variables["Chat__Store"]);
        Assert.Equal(FanOutKinds.EventBridge, (string?)Variables["Chat__FanOut"]);
        Assert.Equal("""{"Ref":"MessagesTable"}""", Variables["Chat__DynamoDb__MessagesTable"]!.ToJsonString());
        Assert.Equal("""{"Ref":"ConnectionsTable"}""", Variables["Chat__DynamoDb__ConnectionsTable"]!.ToJsonString());
        Assert.Equal("""{"Ref":"RoomsTable"}""", Variables["Chat__DynamoDb__RoomsTable"]!.ToJsonString());
        Assert.Equal("""{"Ref":"ChatEventBus"}""", Variables["Chat__EventBridge__BusName"]!.ToJsonString());
        Assert.Equal("""{"Ref":"MessageRetentionDays"}""", Variables["Chat__MessageRetentionDays"]!.ToJsonString());
        Assert.Equal("AWS::Events::EventBus", (string?)_template.Resource("ChatEventBus")["Type"]);
    }

    [Fact]
    public void TheFunctionsSettingsPassTheAppsStartUpValidationOnceCloudFormationResolvesThem()
    {
        var options = ValidatedOptions(new StackValues(_template));

        Assert.Matches(@"^https://a1b2c3d4e5\.execute-api\.us-east-1\.amazonaws\.com/prod$", options.ApiGateway.ManagementEndpoint);
        Assert.Matches(@"^wss://a1b2c3d4e5\.execute-api\.us-east-1\.amazonaws\.com/prod$", options.WebSocketUrl);
        Assert.Equal(30, options.MessageRetentionDays);
        // The page's origins (through the edge, or the API's own URL), never the WebSocket API's,
        // are the allowed ones; nothing else by default.
        Assert.Equal(
            [$"https://{StackValues.DistributionDomain}", $"https://{StackValues.HttpApiId}.execute-api.us-east-1.amazonaws.com"],
            AllowedOrigins.Parse(options.AllowedOrigins));
    }

    [Fact]
    public void CustomDomainsAndCorsOriginsReachTheAppsSettingsAndStillPassItsValidation()
    {
        var options = ValidatedOptions(new StackValues(_template, new Dictionary<string, string>
        {
            ["PageDomainName"] = "chat.example.com",
            ["PageCertificateArn"] = "arn:aws:acm:us-east-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab",
            ["WebSocketDomainName"] = "ws.chat.example.com",
            ["WebSocketCertificateArn"] = "arn:aws:acm:eu-west-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab",
            ["CorsAllowedOrigins"] = "https://app.example.org,https://admin.example.org",
        }));

        // The page's CSP (connect-src) and /api/config follow Chat__WebSocketUrl: the custom name.
        Assert.Equal("wss://ws.chat.example.com", options.WebSocketUrl);
        // PostToConnection still goes to the API's own endpoint (custom domains do not serve @connections).
        Assert.Matches(@"^https://a1b2c3d4e5\.execute-api\.us-east-1\.amazonaws\.com/prod$", options.ApiGateway.ManagementEndpoint);
        Assert.Equal(
            [
                $"https://{StackValues.DistributionDomain}", $"https://{StackValues.HttpApiId}.execute-api.us-east-1.amazonaws.com",
                "https://chat.example.com", "https://app.example.org", "https://admin.example.org",
            ],
            AllowedOrigins.Parse(options.AllowedOrigins));
    }

    [Fact]
    public void TheCorsOriginsOfTheHttpApiAreAlsoTheAppsAllowedOrigins()
    {
        var values = new StackValues(_template, new Dictionary<string, string> { ["CorsAllowedOrigins"] = "https://app.example.org" });
        var cors = values.Resolve(_template.Properties("HttpApi")["CorsConfiguration"])!;

        Assert.Equal(["https://app.example.org"], cors["AllowOrigins"]!.AsArray().Select(o => (string)o!));
        // The rooms API (protocol.md section 11) takes PUT and DELETE, and the session token as Authorization: Bearer.
        Assert.Equal(["GET", "POST", "PUT", "DELETE"], cors["AllowMethods"]!.AsArray().Select(m => (string)m!));
        Assert.Equal(["authorization", "content-type"], cors["AllowHeaders"]!.AsArray().Select(h => (string)h!));
        Assert.Contains("https://app.example.org", AllowedOrigins.Parse(values.String(Variables["Chat__AllowedOrigins"])));
        // Without the parameter the API has no CORS configuration at all.
        Assert.Null(new StackValues(_template).Resolve(_template.Properties("HttpApi")["CorsConfiguration"]));
    }

    private ChatOptions ValidatedOptions(StackValues values) => FunctionEnvironment.ValidatedOptions(_template, values);

    [Fact]
    public void TheSessionSigningKeyIsGeneratedAtDeployTimeAndNeverWrittenInTheTemplate()
    {
        Assert.Equal("""{"Fn::GetAtt":["SessionSigningKey","Value"]}""", Variables["Chat__Sessions__SigningKey"]!.ToJsonString());
        var generator = _template.Resource("SessionSigningKey");
        Assert.Equal("Custom::GeneratedSecret", (string?)generator["Type"]);
        var code = (string)_template.Properties("SecretGeneratorFunction")["Code"]!["ZipFile"]!;
        // token_urlsafe(48) is 64 characters; the app wants at least 32. NoEcho masks it in CloudFormation.
        Assert.Contains("secrets.token_urlsafe(48)", code, StringComparison.Ordinal);
        Assert.Contains("\"NoEcho\": True", code, StringComparison.Ordinal);
        Assert.DoesNotContain(_template.Parameters, p => p.Key.Contains("Key", StringComparison.OrdinalIgnoreCase));
    }
}
