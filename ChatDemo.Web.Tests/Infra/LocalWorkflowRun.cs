using System.Text.Json.Nodes;
using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.Infra;

/// <summary>
/// One execution of the message-distribution workflow under aws-local-stepfunctions
/// (run-workflow.mjs). <see cref="ExecuteAsync"/>: the ByRoom index is served from the given
/// connections, and every batch is POSTed to a stand-in for the function; given
/// <c>connectionsTable</c> (the template's properties of the table), the connections are first
/// written to a dynalite table created from it, and the workflow's queries run against that engine.
/// <see cref="ExecuteAgainstAppAsync"/>: the app's own table and the app itself, through Lambda's
/// Invoke API.
/// </summary>
internal static class LocalWorkflowRun
{
    public const string ConnectionsTable = "chatdemo-ConnectionsTable-1A2B3C4D5E6F";
    public const string FunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:chatdemo-ChatFunction-1A2B3C4D5E6F";

    public static async Task<JsonObject> ExecuteAsync(
        IEnumerable<(string ConnectionId, string Room)> connections, JsonObject detail, Uri deliverUrl, int? pageItemCap = null,
        JsonObject? connectionsTable = null)
    {
        return await RunAsync(async folder =>
        {
            var connectionsPath = Path.Combine(folder, "connections.json");
            await File.WriteAllTextAsync(connectionsPath,
                new JsonArray(connections.Select(c => (JsonNode)new JsonObject { ["connectionId"] = c.ConnectionId, ["room"] = c.Room }).ToArray()).ToJsonString());
            return new JsonObject
            {
                ["substitutions"] = new JsonObject { ["ConnectionsTable"] = ConnectionsTable, ["DeliveryFunctionArn"] = FunctionArn },
                ["connectionsPath"] = connectionsPath,
                ["pageItemCap"] = pageItemCap,
                ["connectionsTable"] = connectionsTable?.DeepClone(),
                ["deliverUrl"] = deliverUrl.ToString(),
                ["input"] = EventBridgeEvent(detail),
            };
        });
    }

    /// <summary>
    /// One execution against the real app: the Query tasks read <paramref name="connectionsTable"/>
    /// (the app's own table) on the DynamoDB engine at <paramref name="dynamoDbEndpoint"/>, and the
    /// Lambda task calls the Invoke API at <paramref name="invokeEndpoint"/> for <paramref name="functionArn"/>.
    /// </summary>
    public static Task<JsonObject> ExecuteAgainstAppAsync(
        string connectionsTable, Uri dynamoDbEndpoint, Uri invokeEndpoint, string functionArn, JsonObject detail, int? pageItemCap = null) =>
        RunAsync(_ => Task.FromResult(new JsonObject
        {
            ["substitutions"] = new JsonObject { ["ConnectionsTable"] = connectionsTable, ["DeliveryFunctionArn"] = functionArn },
            ["dynamoDbEndpoint"] = dynamoDbEndpoint.ToString(),
            ["pageItemCap"] = pageItemCap,
            ["invokeEndpoint"] = invokeEndpoint.ToString(),
            ["input"] = EventBridgeEvent(detail),
        }));

    private static async Task<JsonObject> RunAsync(Func<string, Task<JsonObject>> describeRun)
    {
        using var folder = new TempFolder();
        var run = await describeRun(folder.Path);
        run["definitionPath"] = Repository.WorkflowPath;
        var runPath = folder.File("run.json");
        await File.WriteAllTextAsync(runPath, run.ToJsonString());

        var result = await Repository.RunNodeAsync([Repository.WorkflowDriverPath, runPath], TimeSpan.FromMinutes(3));
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonNode.Parse(result.StandardOutput)!.AsObject();
    }

    /// <summary>What the rule hands the state machine: the whole EventBridge event, the app's Detail in <c>detail</c>.</summary>
    private static JsonObject EventBridgeEvent(JsonObject detail) => new()
    {
        ["version"] = "0",
        ["id"] = Guid.NewGuid().ToString(),
        ["detail-type"] = "chatdemo.room-event",
        ["source"] = "chatdemo",
        ["account"] = "123456789012",
        ["time"] = "2026-11-26T10:15:30Z",
        ["region"] = "us-east-1",
        ["resources"] = new JsonArray(),
        ["detail"] = detail.DeepClone(),
    };

    /// <summary>Every batch outcome of the execution's report, across pages.</summary>
    public static IEnumerable<JsonObject> Outcomes(JsonObject execution)
    {
        for (var report = execution["output"]; report is not null; report = report["earlierPages"])
        {
            foreach (var outcome in report["outcomes"]!.AsArray()) yield return outcome!.AsObject();
        }
    }
}
