using System.Text.Json.Nodes;

namespace ChatDemo.Web.Tests.Infra;

/// <summary>The roles in infra/template.yaml grant exactly what each caller calls, on exactly what it calls it on.</summary>
public sealed class IamPermissionsTests
{
    private const string MessagesTableArn = """{"Fn::GetAtt":["MessagesTable","Arn"]}""";
    private const string ConnectionsTableArn = """{"Fn::GetAtt":["ConnectionsTable","Arn"]}""";
    private const string ByRoomIndexArn = """{"Fn::Sub":"${ConnectionsTable.Arn}/index/ByRoom"}""";
    private const string RoomsTableArn = """{"Fn::GetAtt":["RoomsTable","Arn"]}""";
    private const string ByMemberIndexArn = """{"Fn::Sub":"${RoomsTable.Arn}/index/ByMember"}""";
    private const string ByActivityIndexArn = """{"Fn::Sub":"${MessagesTable.Arn}/index/ByActivity"}""";
    private const string EventBusArn = """{"Fn::GetAtt":["ChatEventBus","Arn"]}""";
    private const string ConnectionsOfTheStage =
        """{"Fn::Sub":"arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${WebSocketApi}/${Stage}/*/@connections/*"}""";

    // THE list of AWS calls ChatDemo.Web makes in AWS mode, with what each is made on. Update it
    // (and the template) whenever the code starts or stops calling AWS:
    // - the DynamoDB store reads and writes both tables with GetItem, PutItem, UpdateItem,
    //   DeleteItem and Query, and Scans for the stale-connection cleanup; the health check calls
    //   DescribeTable on both;
    // - presence and the connection lookups Query the connections table's ByRoom index;
    // - the room store (DynamoDbRoomStore) reads and conditionally writes items of the rooms
    //   table and Queries one partition at a time (never a Scan or a delete); it Queries the rooms
    //   table's ByMember index for a user's rooms and the messages table's ByActivity index for
    //   the rooms that have messages;
    // - the EventBridge fan-out calls PutEvents on the app's bus;
    // - the API Gateway Management client's PostToConnection, DeleteConnection and GetConnection
    //   are all execute-api:ManageConnections on the stage's @connections.
    private static readonly (string Action, string Resource)[] CallsTheCodeMakes =
    [
        .. new[] { MessagesTableArn, ConnectionsTableArn }.SelectMany(table => new[]
        {
            ("dynamodb:GetItem", table), ("dynamodb:PutItem", table), ("dynamodb:UpdateItem", table),
            ("dynamodb:DeleteItem", table), ("dynamodb:Query", table), ("dynamodb:Scan", table),
            ("dynamodb:DescribeTable", table),
        }),
        ("dynamodb:Query", ByRoomIndexArn),
        .. new[] { "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query" }
            .Select(action => (action, RoomsTableArn)),
        ("dynamodb:Query", ByMemberIndexArn),
        ("dynamodb:Query", ByActivityIndexArn),
        ("events:PutEvents", EventBusArn),
        ("execute-api:ManageConnections", ConnectionsOfTheStage),
    ];

    // Not a call of the code: the Lambda runtime writes the function's logs to its own log group.
    private static readonly (string Action, string Resource)[] FunctionLogging =
    [
        ("logs:CreateLogStream", """{"Fn::GetAtt":["ChatFunctionLogGroup","Arn"]}"""),
        ("logs:PutLogEvents", """{"Fn::GetAtt":["ChatFunctionLogGroup","Arn"]}"""),
    ];

    // Not a call of the code either: with active tracing Lambda sends the invocation's X-Ray
    // segments, and X-Ray's write actions take no resource-level permissions.
    private static readonly (string Action, string Resource)[] FunctionTracing =
    [
        ("xray:PutTraceSegments", "\"*\""),
        ("xray:PutTelemetryRecords", "\"*\""),
    ];

    private readonly CloudFormationTemplate _template = CloudFormationTemplate.Load(Repository.TemplatePath);

    [Fact]
    public void TheFunctionsRoleAllowsExactlyTheCallsTheCodeMakesOnTheResourcesItMakesThemOn()
    {
        var function = _template.Properties("ChatFunction");
        Assert.Equal("""{"Fn::GetAtt":["ChatFunctionRole","Arn"]}""", function["Role"]!.ToJsonString());
        // With a Role of its own, SAM attaches nothing else; Policies would be ignored or merged.
        Assert.Null(function["Policies"]);

        Assert.Equal(Sorted([.. CallsTheCodeMakes, .. FunctionLogging, .. FunctionTracing]), Sorted(Grants("ChatFunctionRole")));
    }

    [Fact]
    public void TheWorkflowsRoleOnlyQueriesTheRoomIndexInvokesTheFunctionAndDeliversItsLogs()
    {
        // The CloudWatch Logs delivery APIs take no resource-level permissions (Step Functions
        // developer guide, "IAM policies for logging to CloudWatch Logs").
        string[] logDelivery =
        [
            "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery",
            "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups",
        ];
        (string, string)[] expected =
        [
            ("dynamodb:Query", ByRoomIndexArn),
            ("lambda:InvokeFunction", """{"Fn::GetAtt":["ChatFunction","Arn"]}"""),
            .. logDelivery.Select(action => (action, "\"*\"")),
            // Tracing: the execution's segments and the sampling rules (no resource-level permissions).
            .. new[] { "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets" }
                .Select(action => (action, "\"*\"")),
        ];

        Assert.Equal("""{"Fn::GetAtt":["MessageDistributionRole","Arn"]}""", _template.Properties("MessageDistribution")["Role"]!.ToJsonString());
        Assert.Equal(Sorted(expected), Sorted(Grants("MessageDistributionRole")));
    }

    [Fact]
    public void TheRulesRoleOnlyStartsTheWorkflow()
    {
        Assert.Equal(Sorted([("states:StartExecution", """{"Ref":"MessageDistribution"}""")]), Sorted(Grants("RoomEventRuleRole")));
    }

    [Fact]
    public void TheApiGatewayLoggingRoleOnlyWritesLogsOfThisAccountAndRegion()
    {
        // The account-wide role API Gateway writes REST and WebSocket logs with: the actions of AWS's
        // AmazonAPIGatewayPushToCloudWatchLogs policy, on this account's and region's log groups.
        string[] actions =
        [
            "logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogGroups", "logs:DescribeLogStreams",
            "logs:PutLogEvents", "logs:GetLogEvents", "logs:FilterLogEvents",
        ];
        const string logsHere = """{"Fn::Sub":"arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:*"}""";

        Assert.Equal(Sorted(actions.Select(a => (a, logsHere))), Sorted(Grants("ApiGatewayLoggingRole")));
        Assert.Equal("""{"Service":"apigateway.amazonaws.com"}""",
            _template.Properties("ApiGatewayLoggingRole")["AssumeRolePolicyDocument"]!["Statement"]![0]!["Principal"]!.ToJsonString());
    }

    [Fact]
    public void NoRoleGetsAManagedPolicyOrAWildcardAction()
    {
        foreach (var (logicalId, role) in _template.ResourcesOfType("AWS::IAM::Role"))
        {
            Assert.Null(role["Properties"]!["ManagedPolicyArns"]);
            Assert.DoesNotContain(Grants(logicalId), g => g.Action.Contains('*', StringComparison.Ordinal));
        }
    }

    /// <summary>Every (action, resource) an IAM role's inline policies allow, resources as their JSON text.</summary>
    private List<(string Action, string Resource)> Grants(string roleLogicalId)
    {
        var grants = new List<(string, string)>();
        foreach (var policy in _template.Properties(roleLogicalId)["Policies"]!.AsArray())
        {
            foreach (var statement in policy!["PolicyDocument"]!["Statement"]!.AsArray())
            {
                Assert.Equal("Allow", (string?)statement!["Effect"]);
                foreach (var action in Many(statement["Action"]))
                    foreach (var resource in Many(statement["Resource"]))
                        grants.Add(((string)action!, resource!.ToJsonString()));
            }
        }
        return grants;
    }

    private static List<JsonNode?> Many(JsonNode? node) => node is JsonArray array ? [.. array] : [node];

    private static List<string> Sorted(IEnumerable<(string Action, string Resource)> grants) =>
        grants.Select(g => $"{g.Action} on {g.Resource}").Order(StringComparer.Ordinal).ToList();
}
