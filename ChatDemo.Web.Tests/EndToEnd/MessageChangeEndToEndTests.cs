using System.Text.Json;
using System.Text.Json.Nodes;
using ChatDemo.Web.Tests.Infra;
using ChatDemo.Web.Tests.Lambda;
using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.EndToEnd;

/// <summary>
/// protocol.md 10.9 on <see cref="AwsLambdaStack"/>: a change takes the path of a new message —
/// the requester's <c>updateAck</c> posted directly, <c>messageUpdated</c> put on the bus, the
/// workflow (aws-local-stepfunctions) reading the room's connections and invoking the function's
/// delivery, PostToConnection to every connection — and racing changes made by two instances of
/// the function end in one stored state that every connection's client shows.
/// </summary>
[Collection(LambdaCollection.Name)]
public sealed class MessageChangeEndToEndTests
{
    private const string Alice = "L0SM9cOFvHcCIhw=";
    private const string Bob = "L0SNBdDUvHcCE5g=";
    private const string Carol = "L0SNc3pLvHcCHrw=";

    [Fact]
    public async Task AnEditADeleteAndAReactionEachReachEveryConnectionThroughTheWorkflowInTheirWholeState()
    {
        await using var stack = await AwsLambdaStack.StartAsync();
        await stack.ConnectAsync(Alice, "Alice");
        await stack.ConnectAsync(Bob, "Bob");
        await stack.ConnectAsync(Carol, "Carol");
        await stack.SendAsync(Alice, new { action = "sendMessage", clientMessageId = "c-1", text = "helo" }, "sendMessage");
        await stack.SendAsync(Alice, new { action = "sendMessage", clientMessageId = "c-2", text = "wrong room, sorry" }, "sendMessage");
        await stack.SendAsync(Bob, new { action = "sendMessage", clientMessageId = "c-3", text = "hi!", replyTo = 1 }, "sendMessage");

        await stack.SendAsync(Alice, new { action = "editMessage", seq = 1, text = "hello", clientMessageId = "e-1" }, "editMessage");
        await stack.SendAsync(Bob, new { action = "react", seq = 1, emoji = "👍", op = "add", clientMessageId = "r-1" }, "react");
        await stack.SendAsync(Alice, new { action = "deleteMessage", seq = 2, clientMessageId = "d-1" }, "deleteMessage");

        // Each requester's updateAck went straight to its connection, with the state it made.
        var acks = new List<JsonElement>();
        foreach (var (connection, clientMessageId, action) in new[] { (Alice, "e-1", "editMessage"), (Bob, "r-1", "react"), (Alice, "d-1", "deleteMessage") })
        {
            var ack = Assert.Single(stack.Received(connection, "updateAck"), f => f.Str("clientMessageId") == clientMessageId);
            Assert.Equal((action, false), (ack.Str("action"), ack.GetProperty("duplicate").GetBoolean()));
            acks.Add(ack.GetProperty("message"));
        }
        var updates = stack.Published("messageUpdated");
        Assert.Equal(3, updates.Count);
        // Nothing reaches a connection but through the workflow: no messageUpdated was posted yet.
        Assert.All(new[] { Alice, Bob, Carol }, c => Assert.Empty(stack.Received(c, "messageUpdated")));

        foreach (var (update, ack) in updates.Zip(acks))
        {
            var detail = JsonNode.Parse(update.Detail.GetRawText())!.AsObject();
            var execution = await LocalWorkflowRun.ExecuteAgainstAppAsync(
                stack.Tables.Connections, await Dynalite.EndpointAsync(), stack.App.Runtime.InvokeEndpoint, EmulatedRuntimeApi.FunctionArn, detail);
            Assert.True((string?)execution["status"] == "SUCCEEDED", $"The execution did not succeed: {execution["error"]}: {execution["cause"]}");
            Assert.Equal(3, LocalWorkflowRun.Outcomes(execution).Sum(o => (int)o["delivered"]!));

            // The event carries the whole state the requester was acknowledged with, and every
            // connection, the requester's included, received exactly that frame once.
            var frame = update.Detail.GetProperty("frame");
            Assert.Equal("messageUpdated", frame.Str("type"));
            Assert.Equal(ViewMessage.Canonical(ack), ViewMessage.Canonical(frame));
            foreach (var connection in new[] { Alice, Bob, Carol })
            {
                var received = stack.Received(connection, "messageUpdated")
                    .Where(f => f.GetProperty("seq").GetInt64() == frame.GetProperty("seq").GetInt64()
                             && f.GetProperty("version").GetInt64() == frame.GetProperty("version").GetInt64())
                    .ToList();
                Assert.True(received.Count == 1, $"{connection} received version {frame.GetProperty("version")} of {frame.GetProperty("seq")} {received.Count} times");
                Assert.True(JsonNode.DeepEquals(JsonNode.Parse(frame.GetRawText()), JsonNode.Parse(received[0].GetRawText())),
                    $"{connection} received {received[0]} instead of the event's frame {frame}");
            }
        }

        // The three states, as the frames carried them: edited, reacted to (after the edit), deleted.
        var edited = ViewMessage.From(updates[0].Detail.GetProperty("frame"));
        var reacted = ViewMessage.From(updates[1].Detail.GetProperty("frame"));
        var deleted = ViewMessage.From(updates[2].Detail.GetProperty("frame"));
        Assert.Equal(("hello", true, 2L), (edited.Text, edited.Edited, edited.Version));
        Assert.Equal(("hello", 3L, "👍"), (reacted.Text, reacted.Version, Assert.Single(reacted.Reactions).Emoji));
        Assert.Equal((true, "", 2L), (deleted.Deleted, deleted.Text, deleted.Version));
        Assert.Equal([1L, 2L, 3L], new[] { edited, reacted, deleted }.Select(m => m.Revision));

        // Every connection's client, keeping the highest version per seq, shows the stored state.
        var stored = new List<ViewMessage>();
        foreach (var seq in new[] { 1L, 2L, 3L }) stored.Add(ViewMessage.From(await stack.GetMessageAsync("lobby", seq)));
        Assert.Equal(1L, stored[2].ReplyTo);
        await DeliverNewMessagesAsync(stack);
        foreach (var connection in new[] { Alice, Bob, Carol }) Assert.Equal(stored, ClientView(stack, connection));
    }

    [Fact]
    public async Task TwoInstancesRacingEditsAndReactionsOnOneMessageEndInOneStateEveryConnectionShows()
    {
        await using var stack = await AwsLambdaStack.StartAsync();
        var other = await stack.StartAnotherInstanceAsync();
        await stack.ConnectAsync(Alice, "Alice");
        await stack.ConnectAsync(Bob, "Bob");
        await stack.ConnectAsync(Carol, "Carol");
        await stack.SendAsync(Alice, new { action = "sendMessage", clientMessageId = "c-1", text = "draft" }, "sendMessage");

        // Both instances at once, each taking Alice's edits and Bob's reactions in turn: every
        // change races one made by the other instance.
        const int perInstance = 4;
        var instances = new[] { stack.App, other };
        var racing = instances.Select((instance, i) => Task.Run(async () =>
        {
            for (var n = 0; n < perInstance; n++)
            {
                var k = i * perInstance + n;
                await AwsLambdaStack.SendAsync(instance, Alice, new { action = "editMessage", seq = 1, text = $"edit {k}", clientMessageId = $"e-{k}" }, "editMessage");
                await AwsLambdaStack.SendAsync(instance, Bob, new { action = "react", seq = 1, emoji = char.ConvertFromUtf32(0x1F600 + k), op = "add", clientMessageId = $"r-{k}" }, "react");
            }
        })).ToArray();
        await Task.WhenAll(racing);

        // Every change was applied once, at its own version and revision: none lost, none twice.
        var changes = 2 * instances.Length * perInstance;
        var acks = stack.Received(Alice, "updateAck").Concat(stack.Received(Bob, "updateAck")).ToList();
        Assert.Equal(changes, acks.Count);
        Assert.All(acks, a => Assert.False(a.GetProperty("duplicate").GetBoolean(), $"{a.Str("clientMessageId")} was answered as a duplicate"));
        Assert.Equal(Enumerable.Range(2, changes).Select(v => (long)v), acks.Select(a => a.GetProperty("message").GetProperty("version").GetInt64()).Order());
        // The instances really overlapped: by version, their changes alternate (not one block, then the other).
        var byVersion = acks.OrderBy(a => a.GetProperty("message").GetProperty("version").GetInt64())
            .Select(a => int.Parse(a.Str("clientMessageId")[2..], System.Globalization.CultureInfo.InvariantCulture) / perInstance).ToList();
        Assert.True(byVersion.Zip(byVersion.Skip(1)).Count(p => p.First != p.Second) >= 2, $"the instances took turns, no race: {string.Join(",", byVersion)}");
        var updates = stack.Published("messageUpdated");
        Assert.Equal(Enumerable.Range(2, changes).Select(v => (long)v), updates.Select(u => u.Detail.GetProperty("frame").GetProperty("version").GetInt64()).Order());
        Assert.Equal(changes, updates.Select(u => u.Detail.GetProperty("frame").GetProperty("revision").GetInt64()).Distinct().Count());

        var stored = ViewMessage.From(await stack.GetMessageAsync("lobby", 1));
        Assert.Equal(1 + changes, stored.Version);
        Assert.Equal(instances.Length * perInstance, stored.Reactions.Count);
        Assert.StartsWith("edit ", stored.Text, StringComparison.Ordinal);

        // AWS mode may deliver out of order and twice (protocol.md 10.4): deliver in a shuffled
        // order, some twice; each connection's client keeps the highest version and shows the stored state.
        var order = new Random(17);
        var shuffled = updates.Concat(updates.Take(3)).OrderBy(_ => order.Next()).ToList();
        foreach (var update in shuffled) await stack.DeliverAsync(update);
        await DeliverNewMessagesAsync(stack);
        foreach (var connection in new[] { Alice, Bob, Carol }) Assert.Equal([stored], ClientView(stack, connection));
    }

    /// <summary>Delivers every new message put on the bus that has not reached the room yet (the reply's, the sends').</summary>
    private static async Task DeliverNewMessagesAsync(AwsLambdaStack stack)
    {
        foreach (var message in stack.Published("message"))
        {
            var seq = message.Detail.GetProperty("frame").GetProperty("seq").GetInt64();
            if (!stack.Received(Carol, "message").Any(f => f.GetProperty("seq").GetInt64() == seq)) await stack.DeliverAsync(message);
        }
    }

    /// <summary>What a protocol.md 10.1 client makes of the frames one connection received: per seq, the state with the highest version.</summary>
    private static List<ViewMessage> ClientView(AwsLambdaStack stack, string connection) =>
        stack.Received(connection, "message")
            .Concat(stack.Received(connection, "messageUpdated"))
            .Concat(stack.Received(connection, "updateAck").Select(a => a.GetProperty("message")))
            .Select(ViewMessage.From)
            .GroupBy(m => m.Seq)
            .Select(g => g.MaxBy(m => m.Version)!)
            .OrderBy(m => m.Seq)
            .ToList();
}
