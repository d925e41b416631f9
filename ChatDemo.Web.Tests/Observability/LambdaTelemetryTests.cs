using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Observability;
using ChatDemo.Web.Telemetry;
using ChatDemo.Web.Tests.EndToEnd;
using ChatDemo.Web.Tests.Infra;
using ChatDemo.Web.Tests.Lambda;
using ChatDemo.Web.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ChatDemo.Web.Tests.Observability;

/// <summary>Lambda mode: metrics as embedded-metric-format lines per invocation, and one trace across the AWS path.</summary>
[Collection(LambdaCollection.Name)]
public sealed class LambdaTelemetryTests
{
    [Fact]
    public async Task Each_invocation_writes_valid_EMF_lines_with_its_metrics_before_its_result_is_posted()
    {
        EmulatedRuntimeApi? runtime = null;
        var output = new CheckingWriter(requestId => runtime!.IsAwaitingResult(requestId));
        await using var app = await LambdaApp.StartAsync(testEndpoints: false,
            configureServices: services => services.AddSingleton(new EmbeddedMetricsOutput(output)));
        runtime = app.Runtime;
        var session = await ApiGatewayWebSocketTests.CreateSessionAsync(app, "Alice");

        await app.InvokeAsync(Events.WebSocketConnect("L0SM9cOFvHcCIhw=", new Dictionary<string, string> { ["room"] = "lobby", ["token"] = session.Token }));
        await app.InvokeAsync(Events.WebSocketMessage("L0SM9cOFvHcCIhw=", "sendMessage",
            """{"action":"sendMessage","clientMessageId":"c-1","text":"hello"}"""));
        await app.InvokeAsync(Events.WebSocketMessage("L0SM9cOFvHcCIhw=", "sendMessage", "{ not json"));

        var lines = output.Lines;
        Assert.Empty(output.WrittenAfterTheResult);
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Empty(EmfRules.Check(line)));
        var documents = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.All(documents, d => Assert.Equal("5e7ae61fbb13a2d967a67dd51b8aca50", d.GetProperty("xrayTraceId").GetString()));
        double Total(string metric) => lines.Sum(l => EmfRules.Values(l).GetValueOrDefault(metric, [0]).Sum());
        Assert.Equal(1, Total("chatdemo.connections.open"));
        Assert.Equal(1, Total("chatdemo.messages.accepted"));
        var refused = Assert.Single(documents, d => d.TryGetProperty("reason", out _));
        Assert.Equal(ErrorCodes.InvalidJson, refused.GetProperty("reason").GetString());
        Assert.Contains(documents, d => d.TryGetProperty("operation", out var op) && op.GetString() == "append_messages");
        // Three invocations of the WebSocket API (plus the session's HTTP request, which measured nothing of ours).
        Assert.True(documents.Select(d => d.GetProperty("requestId").GetString()).Distinct().Count() >= 3);
    }

    [Fact]
    public async Task One_trace_runs_from_the_sendMessage_invocation_through_the_workflow_to_every_post_of_every_batch()
    {
        var spans = new RecordedSpans();
        await using var stack = await AwsLambdaStack.StartAsync(spans.AddTo);
        var room = Enumerable.Range(0, 120).Select(i => $"T{i:D3}aaaaaaaaaaa=").ToList();
        var connectedAt = ChatTime.Truncate(DateTimeOffset.UtcNow);
        await Parallel.ForEachAsync(room.Select((id, i) => (id, i)), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (c, token) => await stack.Store.AddConnectionAsync(
                new ChatConnection(c.id, "traced", new ChatUser($"u_{c.i:D4}", $"User {c.i}"), connectedAt), token));
        // The sendMessage invocation comes with an X-Ray trace of its own; the workflow's delivery
        // invocations come with another (the emulated Runtime API's default).
        const string xray = "Root=1-6752a0c1-0123456789abcdef01234567;Parent=1122334455667788;Sampled=1";
        var traceId = ActivityTraceId.CreateFromString("6752a0c10123456789abcdef01234567");

        var sent = await stack.App.InvokeAsync(Events.WebSocketMessage(room[0], "sendMessage",
            """{"action":"sendMessage","clientMessageId":"c-t","text":"traced across AWS"}"""), traceId: xray);
        Assert.Equal(200, sent.Proxy.StatusCode);
        var published = Assert.Single(stack.Published("message"));
        var traceParent = published.Detail.GetProperty("traceparent").GetString()!;
        Assert.StartsWith($"00-{traceId.ToHexString()}-", traceParent);
        var detail = JsonNode.Parse(published.Detail.GetRawText())!.AsObject();
        var execution = await LocalWorkflowRun.ExecuteAgainstAppAsync(
            stack.Tables.Connections, await Dynalite.EndpointAsync(), stack.App.Runtime.InvokeEndpoint, EmulatedRuntimeApi.FunctionArn, detail);
        Assert.True((string?)execution["status"] == "SUCCEEDED", $"The execution did not succeed: {execution["error"]}: {execution["cause"]}");

        var all = await spans.WaitForAsync(s => s.Count(a => a.TraceId == traceId && a.DisplayName == "apigateway PostToConnection") >= room.Count + 1,
            "a post per connection (and the ack) in the sender's trace");
        var trace = all.Where(a => a.TraceId == traceId).ToList();
        var invocation = Assert.Single(trace, a => a.DisplayName == "lambda invocation");
        Assert.Equal("1122334455667788", invocation.ParentSpanId.ToHexString());
        var frame = Assert.Single(trace, a => a.DisplayName == "chat.frame sendMessage");
        Assert.Contains(trace, a => a.DisplayName == "store append_messages");
        // The sender's budget in the room is taken in DynamoDB first (protocol.md 11.8), inside the frame's span.
        var budget = Assert.Single(trace, a => a.DisplayName == "store take_send_budget");
        Assert.Equal((frame.SpanId, "traced"), (budget.ParentSpanId, budget.GetTagItem(ChatTelemetry.Attributes.Room)));
        var publish = Assert.Single(trace, a => a.DisplayName == "chat.fanout.publish");
        Assert.Contains(trace, a => a.DisplayName == "eventbridge PutEvents" && a.ParentSpanId == publish.SpanId);
        Assert.Equal(traceParent, $"00-{traceId.ToHexString()}-{publish.SpanId.ToHexString()}-01");
        var batches = trace.Where(a => a.DisplayName == "chat.delivery.batch").ToList();
        Assert.Equal(2, batches.Count); // 100 + 20
        Assert.All(batches, b =>
        {
            Assert.Equal(publish.SpanId, b.ParentSpanId);
            Assert.Equal("traced", b.GetTagItem(ChatTelemetry.Attributes.Room));
            Assert.Equal(1L, b.GetTagItem(ChatTelemetry.Attributes.Seq));
            // Linked to the delivery invocation's own span, which is in the workflow's trace, not the sender's.
            var link = Assert.Single(b.Links);
            Assert.NotEqual(traceId, link.Context.TraceId);
        });
        var posts = trace.Where(a => a.DisplayName == "chat.deliver").ToList();
        Assert.Equal(room.Count, posts.Count);
        Assert.Equal(room.Order(StringComparer.Ordinal), posts.Select(p => (string)p.GetTagItem(ChatTelemetry.Attributes.ConnectionId)!).Order(StringComparer.Ordinal));
        Assert.All(posts, p => Assert.Contains(batches, b => b.SpanId == p.ParentSpanId));
        Assert.True(frame.StartTimeUtc <= batches.Min(b => b.StartTimeUtc));
    }

    /// <summary>A TextWriter that keeps whole lines and notes any written after its invocation's result was posted.</summary>
    private sealed class CheckingWriter(Func<string, bool> awaitingResult) : TextWriter
    {
        private readonly ConcurrentQueue<string> _lines = new();
        private readonly ConcurrentQueue<string> _late = new();
        private readonly StringBuilder _pending = new();

        public override Encoding Encoding => Encoding.UTF8;

        public IReadOnlyList<string> Lines => [.. _lines];

        public IReadOnlyList<string> WrittenAfterTheResult => [.. _late];

        public override void Write(char value)
        {
            lock (_pending)
            {
                if (value != '\n')
                {
                    _pending.Append(value);
                    return;
                }
                var line = _pending.ToString();
                _pending.Clear();
                _lines.Enqueue(line);
                var requestId = JsonDocument.Parse(line).RootElement.GetProperty("requestId").GetString()!;
                if (!awaitingResult(requestId)) _late.Enqueue(line);
            }
        }
    }
}
