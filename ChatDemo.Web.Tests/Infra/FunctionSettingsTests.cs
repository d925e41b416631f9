using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatDemo.Web.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;

namespace ChatDemo.Web.Tests.Infra;

/// <summary>The function's environment in infra/template.yaml against the app's configuration contract.</summary>
public sealed class FunctionSettingsTests
{
    // The settings the app needs in AWS mode (README.md, "Configuration", describes each).
    private static readonly string[] AwsModeSettings =
    [
        "Chat__Store", "Chat__DynamoDb__MessagesTable", "Chat__DynamoDb__ConnectionsTable", "Chat__FanOut",
        "Chat__EventBridge__BusName", "Chat__ApiGateway__ManagementEndpoint", "Chat__Sessions__SigningKey",
        "Chat__WebSocketUrl", "Chat__MessageRetentionDays",
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
        Assert.Equal("""{"Ref":"ChatEventBus"}""", Variables["Chat__EventBridge__BusName"]!.ToJsonString());
        Assert.Equal("""{"Ref":"MessageRetentionDays"}""", Variables["Chat__MessageRetentionDays"]!.ToJsonString());
        Assert.Equal("AWS::Events::EventBus", (string?)_template.Resource("ChatEventBus")["Type"]);
    }

    [Fact]
    public void TheFunctionsSettingsPassTheAppsStartUpValidationOnceCloudFormationResolvesThem()
    {
        var environment = Variables.ToDictionary(v => v.Key.Replace("__", ":", StringComparison.Ordinal), v => (string?)Resolve(v.Value));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(environment).Build();
        var options = configuration.GetSection(ChatOptions.SectionName).Get<ChatOptions>()!;
        var host = new HostingEnvironment { EnvironmentName = environment["ASPNETCORE_ENVIRONMENT"]! };

        var result = new ChatOptionsValidator(host).Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.Equal("Production", host.EnvironmentName);
        Assert.Matches(@"^https://a1b2c3d4e5\.execute-api\.us-east-1\.amazonaws\.com/prod$", options.ApiGateway.ManagementEndpoint);
        Assert.Matches(@"^wss://a1b2c3d4e5\.execute-api\.us-east-1\.amazonaws\.com/prod$", options.WebSocketUrl);
        Assert.Equal(30, options.MessageRetentionDays);
    }

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

    // Values CloudFormation would put in place of each intrinsic, for a stack deployed with the
    // parameters' defaults in us-east-1.
    private string Resolve(JsonNode? node) => node switch
    {
        JsonObject obj when obj.ContainsKey("Ref") => ResolveName((string)obj["Ref"]!),
        JsonObject obj when obj.ContainsKey("Fn::GetAtt") =>
            (string?)_template.Resource((string)obj["Fn::GetAtt"]![0]!)["Type"] == "Custom::GeneratedSecret"
                ? new string('k', 64)
                : $"arn:aws:test:::{obj["Fn::GetAtt"]![0]}",
        JsonObject obj when obj.ContainsKey("Fn::Sub") => Regex.Replace((string)obj["Fn::Sub"]!, @"\$\{([A-Za-z0-9:]+)\}", m => ResolveName(m.Groups[1].Value)),
        JsonValue value => (string)value!,
        _ => throw new InvalidDataException($"Cannot resolve {node?.ToJsonString()} for the test."),
    };

    private string ResolveName(string name) => name switch
    {
        "AWS::Region" => "us-east-1",
        "AWS::URLSuffix" => "amazonaws.com",
        "AWS::Partition" => "aws",
        "AWS::AccountId" => "123456789012",
        "AWS::StackName" => "chatdemo",
        "WebSocketApi" => "a1b2c3d4e5",
        _ when _template.Parameters.ContainsKey(name) => (string)_template.Parameters[name]!["Default"]!,
        _ when _template.Resources.ContainsKey(name) => $"chatdemo-{name}-1A2B3C4D5E6F",
        _ => throw new InvalidDataException($"Unknown name {name}."),
    };
}
