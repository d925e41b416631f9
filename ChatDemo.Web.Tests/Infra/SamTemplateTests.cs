using System.Text.Json.Nodes;
using ChatDemo.Web.Storage.DynamoDb;

namespace ChatDemo.Web.Tests.Infra;

/// <summary>infra/template.yaml: well-formed, internally consistent, and matching what the app defines.</summary>
public sealed class SamTemplateTests
{
    private readonly CloudFormationTemplate _template = CloudFormationTemplate.Load(Repository.TemplatePath);

    [Fact]
    public void TheTemplateParsesAsASamTemplateWithShortFormTags()
    {
        Assert.Equal("AWS::Serverless-2016-10-31", (string?)_template.Root["Transform"]);
        Assert.Equal(3, _template.ResourcesOfType("AWS::DynamoDB::Table").Count());
        // A short form became its long form.
        Assert.Equal("""{"Ref":"MessagesTable"}""",
            _template.Properties("ChatFunction")["Environment"]!["Variables"]!["Chat__DynamoDb__MessagesTable"]!.ToJsonString());
    }

    [Fact]
    public void AnUnknownShortFormTagIsRejected()
    {
        var error = Assert.Throws<InvalidDataException>(() =>
            CloudFormationTemplate.Parse("Resources:\n  A:\n    Type: X\n    Properties: { Name: !Reff B }\n"));
        Assert.Contains("!Reff", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryRefGetAttAndSubVariableNamesAResourceParameterOrPseudoParameter()
    {
        Assert.Empty(_template.UnresolvedReferences());
    }

    [Fact]
    public void EveryConditionUsedIsDeclared()
    {
        Assert.Empty(_template.UnknownConditions());
        var broken = CloudFormationTemplate.Parse("""
            Conditions:
              Known: !Equals [a, a]
            Resources:
              A:
                Type: X
                Condition: Missing
                Properties: { P: !If [AlsoMissing, x, !Ref AWS::NoValue], Q: !If [Known, x, y] }
            """);
        Assert.Equal(2, broken.UnknownConditions().Count);
    }

    [Fact]
    public void TheReferenceCheckReportsANameThatIsNeitherResourceNorParameter()
    {
        var broken = CloudFormationTemplate.Parse("""
            Parameters:
              Stage: { Type: String }
            Resources:
              Api:
                Type: AWS::ApiGatewayV2::Api
                DependsOn: [Gone]
                Properties:
                  Name: !Sub '${Stage}-${AWS::Region}-${Missing}-${!Literal}'
                  A: !Ref Nowhere
                  B: !GetAtt Lost.Arn
                  C: !Sub ['${Local}-${Api.Arn}', { Local: !Ref AlsoMissing }]
            """);

        var problems = broken.UnresolvedReferences();

        Assert.Equal(5, problems.Count);
        foreach (var name in new[] { "'Gone'", "'Missing'", "'Nowhere'", "'Lost'", "'AlsoMissing'" })
            Assert.Contains(problems, p => p.Contains(name, StringComparison.Ordinal));
    }

    [Fact]
    public void TheTablesKeySchemasEqualTheStoresDefinitions()
    {
        var messages = _template.Properties("MessagesTable");
        Assert.Equal("PAY_PER_REQUEST", (string?)messages["BillingMode"]);
        Assert.Equal(
            [(DynamoDbTables.Messages.PartitionKey, "HASH"), (DynamoDbTables.Messages.SortKey, "RANGE")],
            KeySchema(messages["KeySchema"]));
        Assert.Equal(
            new Dictionary<string, string>
            {
                [DynamoDbTables.Messages.PartitionKey] = "S",
                [DynamoDbTables.Messages.SortKey] = "N",
                [DynamoDbTables.Messages.ActivityShard] = "S",
                [DynamoDbTables.Messages.LastMessageAt] = "N",
            },
            AttributeTypes(messages));
        var byActivity = Assert.Single(messages["GlobalSecondaryIndexes"]!.AsArray())!;
        Assert.Equal(DynamoDbTables.Messages.ByActivityIndex, (string?)byActivity["IndexName"]);
        Assert.Equal(
            [(DynamoDbTables.Messages.ActivityShard, "HASH"), (DynamoDbTables.Messages.LastMessageAt, "RANGE")],
            KeySchema(byActivity["KeySchema"]));
        Assert.Equal("INCLUDE", (string?)byActivity["Projection"]!["ProjectionType"]);
        Assert.Equal([DynamoDbTables.Messages.LastSeq], byActivity["Projection"]!["NonKeyAttributes"]!.AsArray().Select(a => (string)a!));
        AssertTtlAndRecovery(messages);

        var connections = _template.Properties("ConnectionsTable");
        Assert.Equal("PAY_PER_REQUEST", (string?)connections["BillingMode"]);
        Assert.Equal([(DynamoDbTables.Connections.PartitionKey, "HASH")], KeySchema(connections["KeySchema"]));
        Assert.Equal(
            new Dictionary<string, string>
            {
                [DynamoDbTables.Connections.PartitionKey] = "S",
                [DynamoDbTables.Connections.ByRoomPartitionKey] = "S",
                [DynamoDbTables.Connections.ByRoomSortKey] = "S",
            },
            AttributeTypes(connections));
        var index = Assert.Single(connections["GlobalSecondaryIndexes"]!.AsArray())!;
        Assert.Equal(DynamoDbTables.Connections.ByRoomIndex, (string?)index["IndexName"]);
        Assert.Equal(
            [(DynamoDbTables.Connections.ByRoomPartitionKey, "HASH"), (DynamoDbTables.Connections.ByRoomSortKey, "RANGE")],
            KeySchema(index["KeySchema"]));
        Assert.Equal("ALL", (string?)index["Projection"]!["ProjectionType"]);
        AssertTtlAndRecovery(connections);

        // The rooms table: the same definitions, checked through the request the store creates it with.
        var rooms = _template.Properties("RoomsTable");
        Assert.Equal("PAY_PER_REQUEST", (string?)rooms["BillingMode"]);
        Assert.Equal(DynamoDbTables.Rooms.ByMemberIndex, (string?)rooms["GlobalSecondaryIndexes"]![0]!["IndexName"]);
        AssertTtlAndRecovery(rooms);

        // The tables the store creates on a local engine are the template's.
        AssertCreatedAsInTheTemplate(DynamoDbTableSetup.MessagesTable("Messages"), messages);
        AssertCreatedAsInTheTemplate(DynamoDbTableSetup.ConnectionsTable("Connections"), connections);
        AssertCreatedAsInTheTemplate(DynamoDbTableSetup.RoomsTable("Rooms"), rooms);
    }

    private static void AssertCreatedAsInTheTemplate(Amazon.DynamoDBv2.Model.CreateTableRequest created, JsonObject table)
    {
        Assert.Equal(KeySchema(table["KeySchema"]), created.KeySchema.Select(k => (k.AttributeName, k.KeyType.Value)));
        Assert.Equal(AttributeTypes(table), created.AttributeDefinitions.ToDictionary(a => a.AttributeName, a => a.AttributeType.Value));
        var index = Assert.Single(table["GlobalSecondaryIndexes"]!.AsArray())!;
        var createdIndex = Assert.Single(created.GlobalSecondaryIndexes);
        Assert.Equal((string?)index["IndexName"], createdIndex.IndexName);
        Assert.Equal(KeySchema(index["KeySchema"]), createdIndex.KeySchema.Select(k => (k.AttributeName, k.KeyType.Value)));
        Assert.Equal((string?)index["Projection"]!["ProjectionType"], createdIndex.Projection.ProjectionType.Value);
        Assert.Equal(
            index["Projection"]!["NonKeyAttributes"]?.AsArray().Select(a => (string)a!) ?? [],
            createdIndex.Projection.NonKeyAttributes ?? []);
    }

    [Fact]
    public void TheFunctionRunsTheAppOnTheManagedDotnet10RuntimeAsAnExecutableAssembly()
    {
        var function = _template.Properties("ChatFunction");
        Assert.Equal("AWS::Serverless::Function", (string?)_template.Resource("ChatFunction")["Type"]);
        Assert.Equal("dotnet10", (string?)function["Runtime"]);
        Assert.Equal(typeof(Program).Assembly.GetName().Name, (string?)function["Handler"]);
        Assert.True(File.Exists(Path.Combine(Repository.Root, "infra", (string)function["CodeUri"]!, "ChatDemo.Web.csproj")),
            "CodeUri must be the app's project folder, relative to infra/.");
        Assert.InRange(int.Parse((string)function["MemorySize"]!, System.Globalization.CultureInfo.InvariantCulture), 512, 3008);
        // API Gateway's integration timeout is 29 s (WebSocket) and 30 s (HTTP): a longer function timeout buys nothing.
        Assert.InRange(int.Parse((string)function["Timeout"]!, System.Globalization.CultureInfo.InvariantCulture), 10, 29);
    }

    [Fact]
    public void TheHttpApiSendsEveryRequestToTheFunctionInPayloadFormat2()
    {
        Assert.Equal("HTTP", (string?)_template.Properties("HttpApi")["ProtocolType"]);
        var route = Assert.Single(_template.ResourcesOfType("AWS::ApiGatewayV2::Route"), r => (string?)r.Resource["Properties"]!["ApiId"]!["Ref"] == "HttpApi").Resource["Properties"]!;
        // The $default route: the page, the REST API and /swagger all reach the app, which routes them itself.
        Assert.Equal("$default", (string?)route["RouteKey"]);
        Assert.Equal("""{"Fn::Sub":"integrations/${HttpApiIntegration}"}""", route["Target"]!.ToJsonString());

        var integration = _template.Properties("HttpApiIntegration");
        Assert.Equal("""{"Ref":"HttpApi"}""", integration["ApiId"]!.ToJsonString());
        Assert.Equal("AWS_PROXY", (string?)integration["IntegrationType"]);
        Assert.Equal("""{"Fn::GetAtt":["ChatFunction","Arn"]}""", integration["IntegrationUri"]!.ToJsonString());
        Assert.Equal("2.0", (string?)integration["PayloadFormatVersion"]);

        var stage = _template.Properties("HttpApiStage");
        Assert.Equal("$default", (string?)stage["StageName"]);
        Assert.Equal("true", (string?)stage["AutoDeploy"]);
        Assert.NotNull(stage["DefaultRouteSettings"]!["ThrottlingRateLimit"]);

        var permission = _template.Properties("HttpApiInvokePermission");
        Assert.Equal("apigateway.amazonaws.com", (string?)permission["Principal"]);
        Assert.Equal("""{"Ref":"ChatFunction"}""", permission["FunctionName"]!.ToJsonString());
        Assert.EndsWith(":${HttpApi}/*", (string)permission["SourceArn"]!["Fn::Sub"]!, StringComparison.Ordinal);
        // No SAM event: the API is written out (SAM's would make a dependency cycle through the edge).
        Assert.Null(_template.Properties("ChatFunction")["Events"]);
    }

    [Fact]
    public void TheWebSocketApiRoutesEveryProtocolActionAndConnectionEventToTheFunction()
    {
        var api = _template.Properties("WebSocketApi");
        Assert.Equal("WEBSOCKET", (string?)api["ProtocolType"]);
        Assert.Equal("$request.body.action", (string?)api["RouteSelectionExpression"]);

        var routes = _template.ResourcesOfType("AWS::ApiGatewayV2::Route")
            .Where(r => (string?)r.Resource["Properties"]!["ApiId"]!["Ref"] == "WebSocketApi").ToList();
        Assert.Equal(
            new[] { "$connect", "$default", "$disconnect", "deleteMessage", "editMessage", "ping", "react", "sendMessage", "typing" },
            routes.Select(r => (string)r.Resource["Properties"]!["RouteKey"]!).Order(StringComparer.Ordinal));
        foreach (var (_, route) in routes)
        {
            Assert.Equal("""{"Ref":"WebSocketApi"}""", route["Properties"]!["ApiId"]!.ToJsonString());
            Assert.Equal("""{"Fn::Sub":"integrations/${WebSocketIntegration}"}""", route["Properties"]!["Target"]!.ToJsonString());
        }

        var integration = _template.Properties("WebSocketIntegration");
        Assert.Equal("AWS_PROXY", (string?)integration["IntegrationType"]);
        Assert.Contains("${ChatFunction.Arn}", (string)integration["IntegrationUri"]!["Fn::Sub"]!, StringComparison.Ordinal);

        var permission = _template.Properties("WebSocketInvokePermission");
        Assert.Equal("apigateway.amazonaws.com", (string?)permission["Principal"]);
        Assert.Equal("""{"Ref":"ChatFunction"}""", permission["FunctionName"]!.ToJsonString());
        Assert.Contains("${WebSocketApi}/*", (string)permission["SourceArn"]!["Fn::Sub"]!, StringComparison.Ordinal);

        var stage = _template.Resource("WebSocketStage");
        Assert.Equal("""{"Ref":"Stage"}""", stage["Properties"]!["StageName"]!.ToJsonString());
        Assert.Equal("true", (string?)stage["Properties"]!["AutoDeploy"]);
        Assert.NotNull(stage["Properties"]!["DefaultRouteSettings"]!["ThrottlingRateLimit"]);
        Assert.NotNull(stage["Properties"]!["DefaultRouteSettings"]!["ThrottlingBurstLimit"]);
        // The first deployment must contain every route.
        Assert.Equal(routes.Select(r => r.LogicalId).Order(StringComparer.Ordinal),
            stage["DependsOn"]!.AsArray().Select(d => (string)d!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheFunctionAndTheWorkflowAreTracedActivelySoOneTraceCrossesThem()
    {
        Assert.Equal("Active", (string?)_template.Properties("ChatFunction")["Tracing"]);
        Assert.Equal("true", _template.Properties("MessageDistribution")["Tracing"]!["Enabled"]!.ToJsonString().Trim('"'));
        // The workflow passes the sender's trace context on to every delivery batch.
        var workflow = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Repository.WorkflowPath))!;
        Assert.Equal("$.detail.traceparent", (string?)workflow["States"]!["ReadEvent"]!["Parameters"]!["event"]!["traceparent.$"]);
        Assert.Equal("$.event.traceparent", (string?)workflow["States"]!["DeliverBatches"]!["ItemSelector"]!["traceparent.$"]);
    }

    [Fact]
    public void EveryRoomEventOnTheBusStartsTheExpressWorkflow()
    {
        var rule = _template.Properties("RoomEventRule");
        Assert.Equal("""{"Ref":"ChatEventBus"}""", rule["EventBusName"]!.ToJsonString());
        Assert.Equal("""{"source":["chatdemo"],"detail-type":["chatdemo.room-event"]}""", rule["EventPattern"]!.ToJsonString());
        var target = Assert.Single(rule["Targets"]!.AsArray())!;
        Assert.Equal("""{"Ref":"MessageDistribution"}""", target["Arn"]!.ToJsonString());
        Assert.Equal("""{"Fn::GetAtt":["RoomEventRuleRole","Arn"]}""", target["RoleArn"]!.ToJsonString());

        var machine = _template.Properties("MessageDistribution");
        Assert.Equal("EXPRESS", (string?)machine["Type"]);
        var definition = Path.GetFullPath(Path.Combine(Repository.Root, "infra", (string)machine["DefinitionUri"]!));
        Assert.Equal(Repository.WorkflowPath, definition);
        Assert.Equal("ERROR", (string?)machine["Logging"]!["Level"]);
        Assert.Equal("""{"Fn::GetAtt":["MessageDistributionLogGroup","Arn"]}""",
            machine["Logging"]!["Destinations"]![0]!["CloudWatchLogsLogGroup"]!["LogGroupArn"]!.ToJsonString());

        // Every ${Placeholder} of the ASL is substituted, and nothing else is.
        var placeholders = System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(definition), @"\$\{(\w+)\}")
            .Select(m => m.Groups[1].Value).ToHashSet();
        var substitutions = machine["DefinitionSubstitutions"]!.AsObject();
        Assert.Equal(placeholders.Order(StringComparer.Ordinal), substitutions.Select(s => s.Key).Order(StringComparer.Ordinal));
        Assert.Equal("""{"Ref":"ConnectionsTable"}""", substitutions["ConnectionsTable"]!.ToJsonString());
        Assert.Equal("""{"Fn::GetAtt":["ChatFunction","Arn"]}""", substitutions["DeliveryFunctionArn"]!.ToJsonString());
    }

    [Fact]
    public void TheWorkflowQueriesTheConnectionsIndexTheStoreDefines()
    {
        var states = JsonNode.Parse(File.ReadAllText(Repository.WorkflowPath))!["States"]!.AsObject();
        foreach (var name in new[] { "QueryFirstPage", "QueryNextPage" })
        {
            var parameters = states[name]!["Parameters"]!;
            Assert.Equal(DynamoDbTables.Connections.ByRoomIndex, (string?)parameters["IndexName"]);
            Assert.Equal(DynamoDbTables.Connections.ByRoomPartitionKey, (string?)parameters["ExpressionAttributeNames"]!["#room"]);
            Assert.Equal(DynamoDbTables.Connections.PartitionKey, (string?)parameters["ProjectionExpression"]);
        }
    }

    [Fact]
    public void ParametersHaveSaneDefaultsAndTheAppsBounds()
    {
        var parameters = _template.Parameters;
        Assert.Equal(
            [
                "Stage", "MessageRetentionDays", "LogLevel", "PageDomainName", "PageCertificateArn", "WebSocketDomainName",
                "WebSocketCertificateArn", "CorsAllowedOrigins", "AlarmEmail", "ReservedConcurrency", "SignIn", "OidcAuthority",
                "OidcClientId", "AdminsClaim", "GuestsAllowed", "CreateApiGatewayLoggingRole",
            ],
            parameters.Select(p => p.Key).ToArray());
        Assert.Equal("prod", (string?)parameters["Stage"]!["Default"]);
        Assert.Equal("30", (string?)parameters["MessageRetentionDays"]!["Default"]);
        // Chat__MessageRetentionDays accepts 1-3650: the stack refuses what the app would refuse.
        Assert.Equal("1", (string?)parameters["MessageRetentionDays"]!["MinValue"]);
        Assert.Equal("3650", (string?)parameters["MessageRetentionDays"]!["MaxValue"]);
        Assert.Equal("Information", (string?)parameters["LogLevel"]!["Default"]);
        Assert.Contains("Information", parameters["LogLevel"]!["AllowedValues"]!.AsArray().Select(v => (string?)v));
        // Every optional parameter is empty by default and its pattern accepts empty.
        foreach (var name in new[]
                 {
                     "PageDomainName", "PageCertificateArn", "WebSocketDomainName", "WebSocketCertificateArn", "AlarmEmail", "ReservedConcurrency",
                     "OidcAuthority", "AdminsClaim",
                 })
        {
            Assert.Equal("", (string?)parameters[name]!["Default"]);
            Assert.Matches((string)parameters[name]!["AllowedPattern"]!, "");
        }
        Assert.Equal("", (string?)parameters["CorsAllowedOrigins"]!["Default"]);
        Assert.Equal("CommaDelimitedList", (string?)parameters["CorsAllowedOrigins"]!["Type"]);
        // Guests only, as the app is with nothing configured.
        Assert.Equal("None", (string?)parameters["SignIn"]!["Default"]);
        Assert.Equal("true", (string?)parameters["GuestsAllowed"]!["Default"]);
    }

    [Fact]
    public void OutputsNameOnePageUrlTheWebSocketTheTablesAndTheBus()
    {
        var outputs = _template.Outputs;
        var defaults = new StackValues(_template);
        Assert.Equal($"https://{StackValues.DistributionDomain}/", defaults.String(outputs["PageUrl"]!["Value"]));
        Assert.Single(outputs, o => o.Key.StartsWith("Page", StringComparison.Ordinal) && o.Key.EndsWith("Url", StringComparison.Ordinal));
        var named = new StackValues(_template, new Dictionary<string, string> { ["PageDomainName"] = "chat.example.com", ["WebSocketDomainName"] = "ws.example.com" });
        Assert.Equal("https://chat.example.com/", named.String(outputs["PageUrl"]!["Value"]));

        // The URL the outputs give is the one the app hands out.
        var setting = _template.Properties("ChatFunction")["Environment"]!["Variables"]!["Chat__WebSocketUrl"];
        Assert.Equal(defaults.String(setting), defaults.String(outputs["WebSocketUrl"]!["Value"]));
        Assert.Equal(named.String(setting), named.String(outputs["WebSocketUrl"]!["Value"]));
        Assert.Equal("wss://ws.example.com", named.String(outputs["WebSocketUrl"]!["Value"]));

        Assert.Equal("""{"Ref":"MessagesTable"}""", outputs["MessagesTableName"]!["Value"]!.ToJsonString());
        Assert.Equal("""{"Ref":"ConnectionsTable"}""", outputs["ConnectionsTableName"]!["Value"]!.ToJsonString());
        Assert.Equal("""{"Ref":"RoomsTable"}""", outputs["RoomsTableName"]!["Value"]!.ToJsonString());
        Assert.Equal("""{"Ref":"ChatEventBus"}""", outputs["EventBusName"]!["Value"]!.ToJsonString());
        Assert.Equal("""{"Ref":"AlarmTopic"}""", outputs["AlarmTopicArn"]!["Value"]!.ToJsonString());
        Assert.Equal("""{"Ref":"RoomEventDeadLetterQueue"}""", outputs["DeadLetterQueueUrl"]!["Value"]!.ToJsonString());
        Assert.False(defaults.Exists(outputs["WebSocketDomainTarget"]!.AsObject()));
        Assert.True(named.Exists(outputs["WebSocketDomainTarget"]!.AsObject()));
    }

    private static List<(string, string)> KeySchema(JsonNode? schema) =>
        schema!.AsArray().Select(k => ((string)k!["AttributeName"]!, (string)k["KeyType"]!)).ToList();

    private static Dictionary<string, string> AttributeTypes(JsonObject table) =>
        table["AttributeDefinitions"]!.AsArray().ToDictionary(a => (string)a!["AttributeName"]!, a => (string)a!["AttributeType"]!);

    private static void AssertTtlAndRecovery(JsonObject table)
    {
        Assert.Equal(DynamoDbTables.TimeToLiveAttribute, (string?)table["TimeToLiveSpecification"]!["AttributeName"]);
        Assert.Equal("true", (string?)table["TimeToLiveSpecification"]!["Enabled"]);
        Assert.Equal("true", (string?)table["PointInTimeRecoverySpecification"]!["PointInTimeRecoveryEnabled"]);
    }
}
