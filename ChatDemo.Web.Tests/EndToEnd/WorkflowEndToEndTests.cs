using System.Text.Json;
using System.Text.Json.Nodes;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Tests.Infra;
using ChatDemo.Web.Tests.Lambda;
using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.EndToEnd;

/// <summary>
/// statemachine/message-distribution.asl.json executed by aws-local-stepfunctions against the
/// real app: its DynamoDB Query tasks read the app's own connections table on dynalite, its
/// Lambda task calls Lambda's Invoke API on the emulated Runtime API, so each batch runs the
/// function's delivery path, which posts through the API Gateway Management fake.
/// </summary>
[Collection(LambdaCollection.Name)]
public sealed class WorkflowEndToEndTests
{
    [Fact]
    public async Task TheWorkflowDeliversAMessageToEachOfARoomOf250ExactlyOnceAndTheAppRemovesTheGoneConnection()
    {
        await using var stack = await AwsLambdaStack.StartAsync();
        var room = ConnectionIds(250, seed: 1);
        var elsewhere = ConnectionIds(5, seed: 2);
        var connectedAt = ChatTime.Truncate(DateTimeOffset.UtcNow);
        // Written as $connect writes them (one user each), straight into the app's store: 250
        // sessions and $connect invocations would only make the test slower.
        await Parallel.ForEachAsync(
            room.Select((id, i) => (id, room: "lobby", i)).Concat(elsewhere.Select((id, i) => (id, room: "other-room", i: 1000 + i))),
            new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (c, token) => await stack.Store.AddConnectionAsync(
                new ChatConnection(c.id, c.room, new ChatUser($"u_{c.i:D4}", $"User {c.i}"), connectedAt), token));
        var sender = room[0];
        var gone = room[17];
        stack.ApiGateway.Gone[gone] = true;

        await stack.SendAsync(sender, new { action = "sendMessage", clientMessageId = "c-250", text = "hello, room of 250" }, "sendMessage");
        var published = Assert.Single(stack.Published("message"));
        var detail = JsonNode.Parse(published.Detail.GetRawText())!.AsObject();

        // Pages of 125 (DynamoDB may also end a page early): 125 + 125, then the empty page after a full one.
        var execution = await LocalWorkflowRun.ExecuteAgainstAppAsync(
            stack.Tables.Connections, await Dynalite.EndpointAsync(), stack.App.Runtime.InvokeEndpoint, EmulatedRuntimeApi.FunctionArn,
            detail, pageItemCap: 125);

        Assert.True((string?)execution["status"] == "SUCCEEDED", $"The execution did not succeed: {execution["error"]}: {execution["cause"]}");
        Assert.Equal(3, execution["queries"]!.AsArray().Count);
        Assert.Equal(0, (int)execution["retries"]!);
        var frame = detail["frame"]!;
        foreach (var connection in room.Where(id => id != gone))
        {
            var received = stack.Received(connection, "message");
            Assert.True(received.Count == 1, $"{connection} received the message {received.Count} times");
            Assert.True(JsonNode.DeepEquals(frame, JsonNode.Parse(received[0].GetRawText())), $"{connection} received {received[0]}");
        }
        Assert.Empty(stack.Received(gone, "message"));
        Assert.All(elsewhere, id => Assert.Empty(stack.ApiGateway.Received(id)));

        var outcomes = LocalWorkflowRun.Outcomes(execution).ToList();
        Assert.Equal(250, (int)execution["output"]!["connections"]!);
        Assert.Equal(249, outcomes.Sum(o => (int)o["delivered"]!));
        Assert.Equal(1, outcomes.Sum(o => (int)o["gone"]!));
        Assert.Equal(0, outcomes.Sum(o => (int)o["failed"]!));
        Assert.DoesNotContain(outcomes, o => o.ContainsKey("batchError"));

        // The function removed the gone connection from DynamoDB and announced its user offline.
        Assert.Null(await stack.Store.GetConnectionAsync(gone, CancellationToken.None));
        Assert.Equal(room.Where(id => id != gone).Order(StringComparer.Ordinal), (await stack.RoomConnectionIdsAsync("lobby")).Order(StringComparer.Ordinal));
        var offline = Assert.Single(stack.Published("presence"));
        Assert.Equal("offline", offline.Detail.GetProperty("frame").GetProperty("status").GetString());
        Assert.Equal($"u_{17:D4}", offline.Detail.GetProperty("frame").GetProperty("user").GetProperty("id").GetString());
    }

    [Fact]
    public async Task ABatchTheFunctionRefusesIsRecordedInTheReportWithTheFunctionsErrorTypeAndNothingIsPosted()
    {
        await using var stack = await AwsLambdaStack.StartAsync();
        await stack.ConnectAsync("L0SM9cOFvHcCIhw=", "Alice");
        // A frame that is not a JSON object: the function answers 400, which the adapter reports
        // as a function error, and Lambda's Invoke API as X-Amz-Function-Error.
        var detail = new JsonObject { ["room"] = "lobby", ["kind"] = "message", ["frame"] = "not an object", ["exceptConnectionId"] = null, ["traceparent"] = null };

        var execution = await LocalWorkflowRun.ExecuteAgainstAppAsync(
            stack.Tables.Connections, await Dynalite.EndpointAsync(), stack.App.Runtime.InvokeEndpoint, EmulatedRuntimeApi.FunctionArn, detail);

        Assert.True((string?)execution["status"] == "SUCCEEDED", $"The execution did not succeed: {execution["error"]}: {execution["cause"]}");
        var outcome = Assert.Single(LocalWorkflowRun.Outcomes(execution));
        Assert.Equal("ChatDemo.DirectInvocationFailed", (string?)outcome["batchError"]?["error"]);
        Assert.Contains("frame", (string?)outcome["batchError"]?["cause"]);
        // Not a transient Lambda error: caught at once, not retried.
        Assert.Equal(0, (int)execution["retries"]!);
        Assert.Empty(stack.ApiGateway.Received("L0SM9cOFvHcCIhw="));
    }

    /// <summary>Connection ids shaped like API Gateway's (15 characters of base64 and '='), distinct.</summary>
    private static string[] ConnectionIds(int count, int seed)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        var random = new Random(seed);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (ids.Count < count)
            ids.Add(new string(Enumerable.Range(0, 15).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray()) + "=");
        return [.. ids];
    }
}
