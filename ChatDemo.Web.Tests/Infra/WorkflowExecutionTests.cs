using System.Text.Json.Nodes;

namespace ChatDemo.Web.Tests.Infra;

/// <summary>
/// statemachine/message-distribution.asl.json executed by aws-local-stepfunctions: its DynamoDB
/// Query tasks read a room's connections from an index the test supplies, its Lambda task posts
/// each batch to <see cref="RecordingDeliveryEndpoint"/>, which stands in for the function.
/// </summary>
public sealed class WorkflowExecutionTests
{
    [Fact]
    public Task EveryConnectionOfARoomOf250ReceivesTheFrameExactlyOnceAndTheGoneOneIsReported() =>
        RoomOf250ReceivesTheFrameExactlyOnceAsync(connectionsTable: null);

    [Fact]
    public Task InADynaliteTableCreatedAsTheTemplateDefinesItARoomOf250ReceivesTheFrameExactlyOnce() =>
        RoomOf250ReceivesTheFrameExactlyOnceAsync(
            CloudFormationTemplate.Load(Repository.TemplatePath).Properties("ConnectionsTable"));

    private static async Task RoomOf250ReceivesTheFrameExactlyOnceAsync(JsonObject? connectionsTable)
    {
        var room = Room(250, "lobby");
        var elsewhere = Room(5, "other-room");
        var detail = Detail("lobby", exceptConnectionId: null);
        var gone = room[17];
        await using var endpoint = await RecordingDeliveryEndpoint.StartAsync(detail, goneConnectionId: gone);

        // Pages of 125 (DynamoDB also ends a page early at 1 MB): 125 + 125, then the empty page
        // DynamoDB returns after a page that ended exactly at Limit.
        var execution = await LocalWorkflowRun.ExecuteAsync(
            [.. room.Select(id => (id, "lobby")), .. elsewhere.Select(id => (id, "other-room"))], detail, endpoint.Url, pageItemCap: 125,
            connectionsTable: connectionsTable);

        AssertSucceeded(execution);
        Assert.Empty(endpoint.Problems);
        Assert.Equal(room.Except([gone]).Order(StringComparer.Ordinal), endpoint.Deliveries.Keys.Order(StringComparer.Ordinal));
        Assert.All(endpoint.Deliveries, d => Assert.Equal(1, d.Value));
        // Batches of at most 100: each page of 125 is one of 100 and one of 25.
        Assert.Equal([100, 100, 25, 25], endpoint.Batches.Select(b => b.Length).OrderDescending());

        var sorted = room.Order(StringComparer.Ordinal).ToArray();
        var starts = execution["queries"]!.AsArray().Select(q => (string?)q!["ExclusiveStartKey"]?["connectionId"]?["S"]).ToArray();
        Assert.Equal(new[] { null, sorted[124], sorted[249] }, starts);

        var report = execution["output"]!;
        Assert.Equal("lobby", (string?)report["room"]);
        Assert.Equal(250, (int)report["connections"]!);
        Assert.Equal(3, (int)report["pages"]!);
        var outcomes = LocalWorkflowRun.Outcomes(execution).ToList();
        Assert.Equal(4, outcomes.Count);
        Assert.Equal(250, outcomes.Sum(o => (int)o["connections"]!));
        Assert.Equal(249, outcomes.Sum(o => (int)o["delivered"]!));
        Assert.Equal(0, outcomes.Sum(o => (int)o["failed"]!));
        Assert.DoesNotContain(outcomes, o => o.ContainsKey("batchError"));
        // The gone connection is counted in the outcome of the batch that held it.
        var goneBatch = Assert.Single(outcomes, o => (int)o["gone"]! > 0);
        Assert.Equal(1, (int)goneBatch["gone"]!);
        Assert.InRange(gone, (string)goneBatch["firstConnectionId"]!, (string)goneBatch["lastConnectionId"]!, StringComparer.Ordinal);
    }

    [Fact]
    public async Task AThrottledInvocationIsRetriedAndItsBatchDeliveredOnce()
    {
        var room = Room(150, "lobby");
        var detail = Detail("lobby", exceptConnectionId: room[3]);
        await using var endpoint = await RecordingDeliveryEndpoint.StartAsync(detail, throttledRequests: 1);

        var execution = await LocalWorkflowRun.ExecuteAsync(room.Select(id => (id, "lobby")), detail, endpoint.Url);

        AssertSucceeded(execution);
        Assert.Empty(endpoint.Problems);
        Assert.Equal(1, (int)execution["retries"]!);
        Assert.Equal(3, endpoint.Requests);
        Assert.Equal(room.Order(StringComparer.Ordinal), endpoint.Deliveries.Keys.Order(StringComparer.Ordinal));
        Assert.All(endpoint.Deliveries, d => Assert.Equal(1, d.Value));
        Assert.DoesNotContain(LocalWorkflowRun.Outcomes(execution), o => o.ContainsKey("batchError"));
    }

    [Fact]
    public async Task ABatchThatKeepsFailingIsRecordedInTheReportWhileTheOtherBatchesAreDelivered()
    {
        var room = Room(250, "lobby");
        var detail = Detail("lobby", exceptConnectionId: null);
        var failing = room[200];
        await using var endpoint = await RecordingDeliveryEndpoint.StartAsync(detail, failingConnectionId: failing);

        var execution = await LocalWorkflowRun.ExecuteAsync(room.Select(id => (id, "lobby")), detail, endpoint.Url);

        AssertSucceeded(execution);
        Assert.Empty(endpoint.Problems);
        var failedBatch = Assert.Single(LocalWorkflowRun.Outcomes(execution), o => o.ContainsKey("batchError"));
        Assert.Equal("Lambda.ServiceException", (string?)failedBatch["batchError"]!["error"]);
        Assert.Equal(0, (int)failedBatch["delivered"]!);
        // The batch is a run of the index, which is sorted by connection id, from its first id to its last.
        var sorted = room.Order(StringComparer.Ordinal).ToList();
        var first = sorted.IndexOf((string)failedBatch["firstConnectionId"]!);
        var last = sorted.IndexOf((string)failedBatch["lastConnectionId"]!);
        // One page of 250 cut into batches of 100, 100 and 50: the failing id's place says which.
        var batchSize = Math.Min(100, sorted.Count - sorted.IndexOf(failing) / 100 * 100);
        Assert.Equal(batchSize, (int)failedBatch["connections"]!);
        Assert.Equal(batchSize - 1, last - first);
        var undelivered = sorted[first..(last + 1)];
        Assert.Contains(failing, undelivered);
        // Retried as a transient Lambda error (MaxAttempts 5) before it was caught.
        Assert.Equal(5, (int)execution["retries"]!);
        Assert.Equal(room.Except(undelivered).Order(StringComparer.Ordinal), endpoint.Deliveries.Keys.Order(StringComparer.Ordinal));
        Assert.All(endpoint.Deliveries, d => Assert.Equal(1, d.Value));
    }

    [Fact]
    public async Task AnEventForAnEmptyRoomInvokesNothingAndSucceeds()
    {
        var detail = Detail("empty", exceptConnectionId: null);
        await using var endpoint = await RecordingDeliveryEndpoint.StartAsync(detail);

        var execution = await LocalWorkflowRun.ExecuteAsync(Room(3, "lobby").Select(id => (id, "lobby")), detail, endpoint.Url);

        AssertSucceeded(execution);
        Assert.Equal(0, endpoint.Requests);
        Assert.Equal(0, (int)execution["output"]!["connections"]!);
    }

    [Fact]
    public async Task ARoomOf10000WithTheLargestFrameStaysFarUnderTheStatePayloadLimit()
    {
        // The largest message frame: 2,000 four-byte code points of text (8,000 bytes of UTF-8)
        // with every other field at its longest.
        var room = Room(10_000, "lobby");
        var detail = Detail("lobby", exceptConnectionId: room[0], text: string.Concat(Enumerable.Repeat("\U0001F600", 2000)),
            clientMessageId: new string('c', 64), senderName: new string('N', 32));
        await using var endpoint = await RecordingDeliveryEndpoint.StartAsync(detail);

        var execution = await LocalWorkflowRun.ExecuteAsync(room.Select(id => (id, "lobby")), detail, endpoint.Url);

        AssertSucceeded(execution);
        Assert.Empty(endpoint.Problems);
        Assert.Equal(10_000, endpoint.Deliveries.Count);
        Assert.Equal(100, endpoint.Requests);
        // Step Functions' limit is 256 KB per state input or output; stay under half of it.
        var largest = (int)execution["maxStateBytes"]!;
        Assert.True(largest < 128 * 1024, $"The largest state was {largest} bytes ({execution["maxStateName"]}).");
    }

    private static void AssertSucceeded(JsonObject execution) =>
        Assert.True((string?)execution["status"] == "SUCCEEDED", $"The execution did not succeed: {execution["error"]}: {execution["cause"]}");

    /// <summary>Connection ids shaped like API Gateway's (16 characters of base64 ending in '='), in no particular order.</summary>
    private static string[] Room(int size, string room)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        // A fixed seed (HashCode.Combine is randomized per process): the same room in every run.
        var random = new Random(size * 31 + room.Length);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (ids.Count < size)
            ids.Add(new string(Enumerable.Range(0, 15).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray()) + "=");
        return [.. ids];
    }

    private static JsonObject Detail(string room, string? exceptConnectionId, string text = "hello, ñandú \"quoted\"\n",
        string clientMessageId = "c-17", string senderName = "Alice") => new()
    {
        ["room"] = room,
        ["kind"] = "message",
        ["frame"] = new JsonObject
        {
            ["type"] = "message",
            ["room"] = room,
            ["seq"] = 42,
            ["id"] = "m_01JDZ8X9Q4W3E2R1T0Y9U8I7O6",
            ["clientMessageId"] = clientMessageId,
            ["sender"] = new JsonObject { ["id"] = "u_01JDZ8X9Q4W3E2R1T0Y9U8I7O6", ["name"] = senderName },
            ["text"] = text,
            ["sentAt"] = "2026-11-26T10:15:30.123Z",
        },
        ["exceptConnectionId"] = exceptConnectionId,
        ["traceparent"] = "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01",
    };
}
