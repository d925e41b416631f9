using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using ChatDemo.Web.Telemetry;
using ChatDemo.Web.Tests.TestInfrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;

namespace ChatDemo.Web.Tests.Observability;

/// <summary>Kestrel mode, real sockets: what one message leaves in traces, metrics and logs.</summary>
public sealed class KestrelTelemetryTests
{
    [Fact]
    public async Task One_message_is_one_trace_from_the_senders_frame_through_store_and_fan_out_to_each_sockets_write()
    {
        var spans = new RecordedSpans();
        await using var app = await ChatApp.StartAsync(configureHost: web => web.ConfigureTestServices(spans.AddTo));
        var room = $"trace-{Guid.NewGuid():N}"[..20];
        var (alice, aliceSocket) = await app.JoinAsync("Alice", room);
        await using var _ = aliceSocket;
        var (_, bobSocket) = await app.JoinAsync("Bob", room);
        await using var __ = bobSocket;
        var (_, carolSocket) = await app.JoinAsync("Carol", room);
        await using var ___ = carolSocket;

        const string text = "a text that must never appear in telemetry";
        await aliceSocket.SendMessageAsync("c-1", text);
        foreach (var socket in new[] { aliceSocket, bobSocket, carolSocket }) await socket.WaitForAsync("message");

        var frame = (await spans.WaitForAsync(
            s => s.Any(a => a.DisplayName == "chat.frame sendMessage" && Equals(a.GetTagItem(ChatTelemetry.Attributes.Room), room)),
            "the frame's span")).Single(a => a.DisplayName == "chat.frame sendMessage" && Equals(a.GetTagItem(ChatTelemetry.Attributes.Room), room));
        var trace = await spans.WaitForAsync(s => s.Count(a => a.TraceId == frame.TraceId && a.DisplayName == "chat.deliver") >= 3, "three deliveries");
        var inTrace = trace.Where(a => a.TraceId == frame.TraceId).ToList();

        // A root of its own: not the long-lived upgrade request's trace.
        Assert.Equal(default, frame.ParentSpanId);
        Assert.Equal(1L, frame.GetTagItem(ChatTelemetry.Attributes.Seq));
        var store = Assert.Single(inTrace, a => a.DisplayName == "store append_messages");
        Assert.Equal(frame.SpanId, store.ParentSpanId);
        var publish = Assert.Single(inTrace, a => a.DisplayName == "chat.fanout.publish");
        Assert.Equal(frame.SpanId, publish.ParentSpanId);
        Assert.Equal(1L, publish.GetTagItem(ChatTelemetry.Attributes.Seq));
        var deliveries = inTrace.Where(a => a.DisplayName == "chat.deliver").ToList();
        Assert.Equal(3, deliveries.Count);
        Assert.All(deliveries, d =>
        {
            Assert.Equal(publish.SpanId, d.ParentSpanId);
            Assert.Equal(room, d.GetTagItem(ChatTelemetry.Attributes.Room));
            Assert.Equal(1L, d.GetTagItem(ChatTelemetry.Attributes.Seq));
        });
        Assert.Equal(3, deliveries.Select(d => d.GetTagItem(ChatTelemetry.Attributes.ConnectionId)).Distinct().Count());

        // Rooms and sequence numbers only: no span carries a token or a text, the upgrade
        // requests' included (their query strings held the tokens), which end with the sockets.
        foreach (var socket in new[] { aliceSocket, bobSocket, carolSocket }) await socket.CloseAsync();
        bool IsUpgrade(Activity a) => Equals(a.GetTagItem("url.path"), "/ws") && Equals(a.GetTagItem("server.port"), app.BaseUri.Port);
        var upgrades = (await spans.WaitForAsync(s => s.Count(IsUpgrade) >= 3, "the three upgrade requests")).Where(IsUpgrade).ToList();
        Assert.All(upgrades, a => Assert.Contains("token=", $"{a.GetTagItem("url.query")}"));
        var everyValue = spans.Snapshot().SelectMany(a => a.TagObjects.Select(t => $"{t.Value}")).Concat(spans.Snapshot().Select(a => a.DisplayName)).ToList();
        Assert.DoesNotContain(everyValue, v => v.Contains(text, StringComparison.Ordinal) || v.Contains(alice.Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_known_workload_gives_known_metric_values_and_metrics_scrapes_them_as_Prometheus_text()
    {
        await using var app = await ChatApp.StartAsync(new Dictionary<string, string?> { ["Chat:Telemetry:Prometheus"] = "true" });
        var factory = app.Services.GetRequiredService<IMeterFactory>();
        using var deliveries = new MetricCollector<long>(factory, ChatTelemetry.Name, "chatdemo.deliveries");
        using var accepted = new MetricCollector<long>(factory, ChatTelemetry.Name, "chatdemo.messages.accepted");
        using var latency = new MetricCollector<double>(factory, ChatTelemetry.Name, "chatdemo.delivery.latency");
        using var refused = new MetricCollector<long>(factory, ChatTelemetry.Name, "chatdemo.frames.refused");
        using var open = new MetricCollector<long>(factory, ChatTelemetry.Name, "chatdemo.connections.open");
        using var store = new MetricCollector<double>(factory, ChatTelemetry.Name, "chatdemo.store.duration");
        const int messages = 4;
        const int receivers = 3;
        var sockets = new List<ChatSocket>();
        for (var i = 0; i < receivers; i++) sockets.Add((await app.JoinAsync($"User{i}")).Socket);
        try
        {
            for (var i = 0; i < messages; i++)
            {
                await sockets[0].SendMessageAsync($"c-{i}", $"message {i}");
                await sockets[0].WaitForAsync("ack", a => a.GetProperty("clientMessageId").GetString() == $"c-{i}");
            }
            foreach (var socket in sockets)
                for (var i = 0; i < messages; i++) await socket.WaitForAsync("message");
            await sockets[1].SendTextAsync("{ not json");
            var error = await sockets[1].WaitForAsync("error");

            await Poll.WaitUntilAsync(() => Task.FromResult(deliveries.GetMeasurementSnapshot().Sum(m => m.Value) == messages * receivers),
                $"{messages * receivers} deliveries counted");
            Assert.Equal(messages, accepted.GetMeasurementSnapshot().Sum(m => m.Value));
            Assert.Equal(messages * receivers, latency.GetMeasurementSnapshot().Count);
            Assert.All(latency.GetMeasurementSnapshot(), m => Assert.InRange(m.Value, 0, 10_000));
            var refusal = Assert.Single(refused.GetMeasurementSnapshot());
            Assert.Equal(error.GetProperty("code").GetString(), refusal.Tags[ChatMetrics.Tags.Reason]);
            Assert.Equal(receivers, open.GetMeasurementSnapshot().Sum(m => m.Value));
            Assert.Contains(store.GetMeasurementSnapshot(), m => Equals(m.Tags[ChatMetrics.Tags.Operation], "append_messages"));

            var scrape = PrometheusText.Parse(await app.Http.GetStringAsync("/metrics"));
            Assert.Equal(messages * receivers, scrape.Value("chatdemo_deliveries_total"));
            Assert.Equal(messages, scrape.Value("chatdemo_messages_accepted_total"));
            Assert.Equal(receivers, scrape.Value("chatdemo_connections_open"));
            Assert.Equal(messages * receivers, scrape.Value("chatdemo_delivery_latency_milliseconds_count"));
            Assert.Equal(1, scrape.Value("chatdemo_frames_refused_total", ("reason", error.GetProperty("code").GetString()!)));
        }
        finally
        {
            foreach (var socket in sockets) await socket.DisposeAsync();
        }
    }

    [Fact]
    public async Task No_log_line_carries_a_token_or_a_message_text_and_production_lines_are_JSON_with_trace_ids()
    {
        var console = new FormattedConsoleLogs();
        var captured = new FakeLogCollector();
        var spans = new RecordedSpans();
        await using var app = await ChatApp.StartAsync(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:ChatDemo"] = "Trace",
        }, web =>
        {
            web.UseEnvironment("Production");
            web.ConfigureTestServices(services =>
            {
                console.AddTo(services);
                spans.AddTo(services);
                services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(new FakeLoggerProvider(captured));
            });
        });
        var text = $"private words {Guid.NewGuid():N}";
        var (alice, aliceSocket) = await app.JoinAsync("Alice");
        await using var _ = aliceSocket;
        await aliceSocket.SendMessageAsync("c-1", text);
        await aliceSocket.WaitForAsync("message");
        await aliceSocket.SendMessageAsync("c-1", text); // a resend: logged as a duplicate
        await aliceSocket.WaitForAsync("ack", a => a.GetProperty("duplicate").GetBoolean());
        await aliceSocket.SendTextAsync($"{{\"action\":\"sendMessage\",\"clientMessageId\":\"c-2\",\"text\":{JsonSerializer.Serialize(text)},\"extra\":");
        await aliceSocket.WaitForAsync("error");
        // A forged token is refused; it must not be logged either.
        var forged = alice.Token[..^4] + "AAAA";
        Assert.Equal(401, (int)(await app.SendUpgradeRequestAsync("lobby", forged)).StatusCode);
        await aliceSocket.CloseAsync();
        await Poll.WaitUntilAsync(() => Task.FromResult(captured.GetSnapshot().Select(r => r.Everything()).Any(l => l.Contains("left room"))), "the disconnect logged");

        var lines = console.Lines.Concat(captured.GetSnapshot().Select(r => r.Everything())).ToList();
        Assert.Contains(lines, l => l.Contains("joined room"));
        Assert.Contains(lines, l => l.Contains("answered as duplicate"));
        foreach (var secret in new[] { text, alice.Token, forged, alice.Token.Split('.')[^1] })
            Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.Ordinal));
        foreach (var line in console.Lines)
        {
            var json = JsonDocument.Parse(line).RootElement;
            Assert.True(json.TryGetProperty("Message", out var __), line);
        }
        // Lines written while a frame was handled carry its trace and span ids.
        var duplicate = JsonDocument.Parse(console.Lines.Single(l => l.Contains("answered as duplicate"))).RootElement;
        Assert.Contains(duplicate.GetProperty("Scopes").EnumerateArray(),
            s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("TraceId", out var id) && id.GetString()!.Length == 32);
    }
}
