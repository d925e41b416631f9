using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatDemo.Web.Tests.Infra;

/// <summary>
/// What infra/template.yaml makes visible when something fails: the rule's dead-letter queue and
/// who may write to it, the alarms (each on the right metric of the right resource), the topic they
/// notify, the access logs, and the reserved-concurrency switch.
/// </summary>
public sealed class FailurePathTests
{
    private readonly CloudFormationTemplate _template = CloudFormationTemplate.Load(Repository.TemplatePath);

    [Fact]
    public void TheRulesTargetRetriesForTenMinutesThenDeadLettersToTheQueue()
    {
        var target = Assert.Single(_template.Properties("RoomEventRule")["Targets"]!.AsArray())!;
        Assert.Equal("""{"Fn::GetAtt":["RoomEventDeadLetterQueue","Arn"]}""", target["DeadLetterConfig"]!["Arn"]!.ToJsonString());
        Assert.Equal("600", (string?)target["RetryPolicy"]!["MaximumEventAgeInSeconds"]);
        Assert.Equal("20", (string?)target["RetryPolicy"]!["MaximumRetryAttempts"]);

        var queue = _template.Resource("RoomEventDeadLetterQueue");
        Assert.Equal("AWS::SQS::Queue", (string?)queue["Type"]);
        // Kept as long as SQS allows, so a failure found on Monday is still there to read.
        Assert.Equal("1209600", (string?)queue["Properties"]!["MessageRetentionPeriod"]);
        Assert.Equal("true", (string?)queue["Properties"]!["SqsManagedSseEnabled"]);
    }

    [Fact]
    public void OnlyTheRuleMaySendToTheDeadLetterQueue()
    {
        var policy = _template.Properties("RoomEventDeadLetterQueuePolicy");
        Assert.Equal("""[{"Ref":"RoomEventDeadLetterQueue"}]""", policy["Queues"]!.ToJsonString());

        var statement = Assert.Single(policy["PolicyDocument"]!["Statement"]!.AsArray())!;
        Assert.Equal("Allow", (string?)statement["Effect"]);
        Assert.Equal("""{"Service":"events.amazonaws.com"}""", statement["Principal"]!.ToJsonString());
        Assert.Equal("sqs:SendMessage", (string?)statement["Action"]);
        Assert.Equal("""{"Fn::GetAtt":["RoomEventDeadLetterQueue","Arn"]}""", statement["Resource"]!.ToJsonString());
        // Not any rule of any account: this stack's rule.
        Assert.Equal("""{"ArnEquals":{"aws:SourceArn":{"Fn::GetAtt":["RoomEventRule","Arn"]}}}""", statement["Condition"]!.ToJsonString());
    }

    // Each alarm: the namespace, metric and dimensions it must watch, as CloudFormation JSON.
    public static TheoryData<string, string, string, string> SingleMetricAlarms => new()
    {
        { "FunctionErrorsAlarm", "AWS/Lambda", "Errors", """[{"Name":"FunctionName","Value":{"Ref":"ChatFunction"}}]""" },
        { "FunctionThrottlesAlarm", "AWS/Lambda", "Throttles", """[{"Name":"FunctionName","Value":{"Ref":"ChatFunction"}}]""" },
        { "WorkflowFailedAlarm", "AWS/States", "ExecutionsFailed", """[{"Name":"StateMachineArn","Value":{"Ref":"MessageDistribution"}}]""" },
        { "WorkflowTimedOutAlarm", "AWS/States", "ExecutionsTimedOut", """[{"Name":"StateMachineArn","Value":{"Ref":"MessageDistribution"}}]""" },
        { "DeadLetterAlarm", "AWS/SQS", "ApproximateNumberOfMessagesVisible", """[{"Name":"QueueName","Value":{"Fn::GetAtt":["RoomEventDeadLetterQueue","QueueName"]}}]""" },
        { "HttpApi5xxAlarm", "AWS/ApiGateway", "5xx", """[{"Name":"ApiId","Value":{"Ref":"HttpApi"}}]""" },
        { "WebSocketIntegrationErrorAlarm", "AWS/ApiGateway", "IntegrationError", """[{"Name":"ApiId","Value":{"Ref":"WebSocketApi"}},{"Name":"Stage","Value":{"Ref":"Stage"}}]""" },
        { "WebSocketExecutionErrorAlarm", "AWS/ApiGateway", "ExecutionError", """[{"Name":"ApiId","Value":{"Ref":"WebSocketApi"}},{"Name":"Stage","Value":{"Ref":"Stage"}}]""" },
    };

    [Theory]
    [MemberData(nameof(SingleMetricAlarms))]
    public void EachAlarmWatchesTheRightMetricOfTheRightResourceAndFiresOnTheFirstOccurrence(string alarm, string metricNamespace, string metric, string dimensions)
    {
        var properties = _template.Properties(alarm);

        Assert.Equal(metricNamespace, (string?)properties["Namespace"]);
        Assert.Equal(metric, (string?)properties["MetricName"]);
        Assert.Equal(dimensions, properties["Dimensions"]!.ToJsonString());
        // A count of failures: any one of them in a period is worth a look (a queue depth: its maximum).
        Assert.Equal(metric == "ApproximateNumberOfMessagesVisible" ? "Maximum" : "Sum", (string?)properties["Statistic"]);
        AssertFiresOnOneAndNotifiesTheTopic(properties);
    }

    [Theory]
    [InlineData("MessagesTableThrottlesAlarm", "MessagesTable", new[] { "GetItem", "PutItem", "UpdateItem", "Query" })]
    [InlineData("ConnectionsTableThrottlesAlarm", "ConnectionsTable", new[] { "GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan" })]
    [InlineData("RoomsTableThrottlesAlarm", "RoomsTable", new[] { "GetItem", "PutItem", "UpdateItem", "Query" })]
    public void EachTablesAlarmSumsThrottledRequestsOfEveryOperationTheStoreMakesOnIt(string alarm, string table, string[] operations)
    {
        // The operations: DynamoDbMessageLog.cs, DynamoDbConnectionTable.cs and DynamoDbRoomStore.cs (DescribeTable is the
        // health check's control-plane call, not throttled as data requests are).
        var properties = _template.Properties(alarm);
        var metrics = properties["Metrics"]!.AsArray();

        var expression = Assert.Single(metrics, m => m!["Expression"] is not null)!;
        Assert.Equal("SUM(METRICS())", (string?)expression["Expression"]);
        Assert.Equal("true", (string?)expression["ReturnData"]);
        var stats = metrics.Where(m => m!["MetricStat"] is not null).Select(m => m!).ToList();
        Assert.Equal(metrics.Count - 1, stats.Count);
        Assert.All(stats, m => Assert.Equal("false", (string?)m["ReturnData"]));
        Assert.All(stats, m => Assert.Equal("Sum", (string?)m["MetricStat"]!["Stat"]));
        Assert.All(stats, m => Assert.Equal("300", (string?)m["MetricStat"]!["Period"]));
        Assert.All(stats, m => Assert.Equal("AWS/DynamoDB", (string?)m["MetricStat"]!["Metric"]!["Namespace"]));
        Assert.All(stats, m => Assert.Equal("ThrottledRequests", (string?)m["MetricStat"]!["Metric"]!["MetricName"]));
        var watched = stats.Select(m => m["MetricStat"]!["Metric"]!["Dimensions"]!.AsArray()).ToList();
        Assert.All(watched, d => Assert.Equal($$$"""{"Name":"TableName","Value":{"Ref":"{{{table}}}"}}""", d.Single(x => (string?)x!["Name"] == "TableName")!.ToJsonString()));
        Assert.All(watched, d => Assert.Equal(2, d.Count));
        Assert.Equal(operations.Order(StringComparer.Ordinal),
            watched.Select(d => (string)d.Single(x => (string?)x!["Name"] == "Operation")!["Value"]!).Order(StringComparer.Ordinal));
        // CloudWatch allows at most 10 metrics in one alarm.
        Assert.InRange(stats.Count, 1, 10);
        AssertFiresOnOneAndNotifiesTheTopic(properties);
    }

    [Fact]
    public void EveryAlarmOfTheStackIsCovered()
    {
        var covered = SingleMetricAlarms.Select(row => (string)row[0]).Concat(["MessagesTableThrottlesAlarm", "ConnectionsTableThrottlesAlarm", "RoomsTableThrottlesAlarm"]);

        Assert.Equal(covered.Order(StringComparer.Ordinal),
            _template.ResourcesOfType("AWS::CloudWatch::Alarm").Select(a => a.LogicalId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheAlarmTopicMailsTheOptionalAddressOnlyWhenOneIsGiven()
    {
        Assert.Equal("AWS::SNS::Topic", (string?)_template.Resource("AlarmTopic")["Type"]);
        var subscription = _template.Resource("AlarmEmailSubscription");
        Assert.Equal("HasAlarmEmail", (string?)subscription["Condition"]);
        Assert.Equal("""{"Ref":"AlarmTopic"}""", subscription["Properties"]!["TopicArn"]!.ToJsonString());
        Assert.Equal("email", (string?)subscription["Properties"]!["Protocol"]);
        Assert.Equal("""{"Ref":"AlarmEmail"}""", subscription["Properties"]!["Endpoint"]!.ToJsonString());

        Assert.False(new StackValues(_template).Exists(subscription));
        Assert.True(new StackValues(_template, new Dictionary<string, string> { ["AlarmEmail"] = "ops@example.com" }).Exists(subscription));
        Assert.DoesNotMatch((string)_template.Parameters["AlarmEmail"]!["AllowedPattern"]!, "not an address");
    }

    [Theory]
    [InlineData("HttpApiStage", "HttpApiAccessLogGroup", new[] { "requestId", "ip", "method", "path", "status", "integrationError" })]
    [InlineData("WebSocketStage", "WebSocketAccessLogGroup", new[] { "requestId", "ip", "eventType", "routeKey", "connectionId", "status", "error" })]
    public void BothApisWriteJsonAccessLogsToALogGroupWithRetention(string stage, string logGroup, string[] fields)
    {
        var settings = _template.Properties(stage)["AccessLogSettings"]!;
        Assert.Equal($$"""{"Fn::GetAtt":["{{logGroup}}","Arn"]}""", settings["DestinationArn"]!.ToJsonString());

        // The format is one JSON object per request, each field a $context variable.
        var format = (string)settings["Format"]!;
        var line = JsonNode.Parse(format)!.AsObject();
        foreach (var field in fields) Assert.True(line.ContainsKey(field), $"{stage}'s access log has no '{field}'.");
        Assert.All(line, f => Assert.StartsWith("$context.", (string)f.Value!, StringComparison.Ordinal));
        // A sample line with values in place of the variables stays valid JSON.
        JsonDocument.Parse(System.Text.RegularExpressions.Regex.Replace(format, @"\$context\.[A-Za-z.]+", "x")).Dispose();

        Assert.Equal("14", (string?)_template.Properties(logGroup)["RetentionInDays"]);
    }

    [Fact]
    public void TheWebSocketStageLogsOnlyOnceTheAccountsLoggingRoleIsSet()
    {
        // API Gateway refuses WebSocket access logging until its account settings name a role.
        var account = _template.Resource("ApiGatewayAccount");
        Assert.Equal("AWS::ApiGateway::Account", (string?)account["Type"]);
        Assert.Equal("""{"Fn::GetAtt":["ApiGatewayLoggingRole","Arn"]}""", account["Properties"]!["CloudWatchRoleArn"]!.ToJsonString());
        Assert.Equal("CreatesApiGatewayLoggingRole", (string?)account["Condition"]);
        Assert.Equal("CreatesApiGatewayLoggingRole", (string?)_template.Resource("ApiGatewayLoggingRole")["Condition"]);

        // The stage refers to the setting (so it is created after it) exactly when the stack sets it.
        var tags = _template.Properties("WebSocketStage")["Tags"];
        Assert.Equal("""{"chatdemo-logging-role":"chatdemo-ApiGatewayAccount-1A2B3C4D5E6F"}""", new StackValues(_template).Resolve(tags)!.ToJsonString());
        Assert.Null(new StackValues(_template, new Dictionary<string, string> { ["CreateApiGatewayLoggingRole"] = "false" }).Resolve(tags));
    }

    [Fact]
    public void ReservedConcurrencyIsSetOnlyWhenGiven()
    {
        var setting = _template.Properties("ChatFunction")["ReservedConcurrentExecutions"];

        Assert.Null(new StackValues(_template).Resolve(setting));
        Assert.Equal("50", new StackValues(_template, new Dictionary<string, string> { ["ReservedConcurrency"] = "50" }).String(setting));
        var pattern = (string)_template.Parameters["ReservedConcurrency"]!["AllowedPattern"]!;
        Assert.Matches(pattern, "50");
        Assert.DoesNotMatch(pattern, "0"); // 0 would stop the function entirely
        Assert.DoesNotMatch(pattern, "-1");
    }

    private static void AssertFiresOnOneAndNotifiesTheTopic(JsonObject alarm)
    {
        Assert.Equal("1", (string?)alarm["Threshold"]);
        Assert.Equal("GreaterThanOrEqualToThreshold", (string?)alarm["ComparisonOperator"]);
        Assert.Equal("1", (string?)alarm["EvaluationPeriods"]);
        Assert.Equal("notBreaching", (string?)alarm["TreatMissingData"]);
        Assert.Equal("""[{"Ref":"AlarmTopic"}]""", alarm["AlarmActions"]!.ToJsonString());
        Assert.Equal("""[{"Ref":"AlarmTopic"}]""", alarm["OKActions"]!.ToJsonString());
    }
}
