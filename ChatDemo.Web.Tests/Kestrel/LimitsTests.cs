using System.Net.WebSockets;
using Xunit.Abstractions;
using System.Text;
using System.Text.Json;
using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.Kestrel;

/// <summary>protocol.md section 5, "Limits" and "Slow or dead clients never hold up the room".</summary>
public sealed class LimitsTests(ITestOutputHelper output)
{
    private static async Task<HashSet<string>> StoredClientMessageIdsAsync(ChatApp app, string room = "lobby")
    {
        var ids = new HashSet<string>();
        long after = 0;
        while (true)
        {
            var page = await app.GetJsonAsync($"/api/rooms/{room}/messages?after={after}&limit=100");
            foreach (var m in page.GetProperty("messages").EnumerateArray())
            {
                ids.Add(m.Str("clientMessageId"));
                after = m.GetProperty("seq").GetInt64();
            }
            if (!page.GetProperty("hasMore").GetBoolean()) return ids;
        }
    }

    /// <summary>A sendMessage frame padded with an ignored property to exactly <paramref name="bytes"/> bytes.</summary>
    private static string FrameOfSize(int bytes, string clientMessageId)
    {
        var head = $"{{\"action\":\"sendMessage\",\"clientMessageId\":\"{clientMessageId}\",\"text\":\"big\",\"pad\":\"";
        var frame = head + new string('x', bytes - head.Length - 2) + "\"}";
        Assert.Equal(bytes, Encoding.UTF8.GetByteCount(frame));
        return frame;
    }

    [Fact]
    public async Task AFreshConnectionMaySendTwentyAtOnceThenGetsRateLimitedAndNothingMoreIsStored()
    {
        await using var app = await ChatApp.StartAsync();
        var (_, alice) = await app.JoinAsync("Alice");
        await using var _ = alice;

        const int sent = 45;
        for (var i = 0; i < sent; i++) await alice.SendMessageAsync($"b-{i}", $"burst {i}");
        await alice.SendJsonAsync(new { action = "ping" });
        await alice.WaitForAsync("pong", timeout: TimeSpan.FromSeconds(30)); // answers come in order: all 45 are answered
        var frames = await alice.CollectAsync(TimeSpan.Zero);

        var acked = frames.Where(f => f.Type() == "ack").Select(f => f.Str("clientMessageId")).ToList();
        var limited = frames.Where(f => f.Type() == "error").ToList();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"b-{i}"), acked.Take(20));
        Assert.NotEmpty(limited);
        Assert.All(limited, e => Assert.Equal("rate_limited", e.Str("code")));
        Assert.All(limited, e => Assert.StartsWith("b-", e.Str("clientMessageId")));
        Assert.Equal(sent, acked.Count + limited.Count);
        Assert.Equal(acked.ToHashSet(), await StoredClientMessageIdsAsync(app));
        Assert.Equal(WebSocketState.Open, alice.Socket.State);
    }

    [Fact]
    public async Task ARateLimitedConnectionCanSendAgainOnceTheBucketRefills()
    {
        await using var app = await ChatApp.StartAsync();
        var (_, alice) = await app.JoinAsync("Alice");
        await using var _ = alice;
        for (var i = 0; i < 40; i++) await alice.SendMessageAsync($"b-{i}", "burst");
        await alice.WaitForAsync("error", e => e.Str("code") == "rate_limited", TimeSpan.FromSeconds(30));

        await Poll.WaitUntilAsync(async () =>
        {
            var id = "later-" + Guid.NewGuid().ToString("N")[..8];
            await alice.SendMessageAsync(id, "later");
            await alice.SendJsonAsync(new { action = "ping" });
            await alice.WaitForAsync("pong"); // answers come in order: the send's answer is in by now
            if ((await alice.CollectAsync(TimeSpan.Zero)).Any(f => f.Type() == "ack" && f.Str("clientMessageId") == id)) return true;
            await Task.Delay(200);
            return false;
        }, "a send is accepted again", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task SustainedFloodingClosesTheConnectionWith1008AndStoresNothingOverTheLimit()
    {
        await using var app = await ChatApp.StartAsync();
        var (_, alice) = await app.JoinAsync("Alice");
        await using var _ = alice;

        var sent = 0;
        while (!alice.Closed.IsCompleted && sent < 5000)
        {
            try
            {
                await alice.SendMessageAsync($"f-{sent}", "flood");
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                break;
            }
            sent++;
        }

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await alice.WaitForCloseAsync(TimeSpan.FromSeconds(30)));
        var frames = await alice.CollectAsync(TimeSpan.FromSeconds(10));
        var limited = frames.Where(f => f.Type() == "error").ToList();
        Assert.True(limited.Count >= 50, $"closed after {limited.Count} rate_limited errors");
        output.WriteLine($"flood: {sent} frames sent, {limited.Count} rate_limited before the 1008 close");
        Assert.All(limited, e => Assert.Equal("rate_limited", e.Str("code")));
        var acked = frames.Where(f => f.Type() == "ack").Select(f => f.Str("clientMessageId")).ToHashSet();
        Assert.Equal(acked, await StoredClientMessageIdsAsync(app));
    }

    [Fact]
    public async Task AFrameOf32768BytesIsAccepted()
    {
        await using var app = await ChatApp.StartAsync();
        var (_, alice) = await app.JoinAsync("Alice");
        await using var _ = alice;
        await alice.SendTextAsync(FrameOfSize(32_768, "max"));
        Assert.Equal("max", (await alice.WaitForAsync("ack")).Str("clientMessageId"));
    }

    [Fact]
    public async Task AFrameOf32769BytesClosesTheConnectionWith1009AndIsNotStored()
    {
        await using var app = await ChatApp.StartAsync();
        var (_, alice) = await app.JoinAsync("Alice");
        await using var _ = alice;
        await alice.SendTextAsync(FrameOfSize(32_769, "over"));
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await alice.WaitForCloseAsync(TimeSpan.FromSeconds(30)));
        Assert.Empty(await StoredClientMessageIdsAsync(app));
    }

    [Fact]
    public async Task AClientThatStopsReadingIsDroppedWhileTheOthersKeepReceiving()
    {
        // A small queue, and no rate limit in the way of filling it; loopback socket buffers hold
        // megabytes, so the sender keeps going until the server gives up on the reader.
        await using var app = await ChatApp.StartAsync(new Dictionary<string, string?>
        {
            ["Chat:Limits:SendQueueFrames"] = "100",
            ["Chat:Limits:SendBurst"] = "1000000",
            ["Chat:Limits:SendPerSecond"] = "1000000",
        });
        var (_, listener) = await app.JoinAsync("Listener");
        await using var _ = listener;
        var (_, sender) = await app.JoinAsync("Sender");
        await using var __ = sender;
        var stalled = await app.CreateSessionAsync("Stalled");
        await using var stalledSocket = await app.ConnectWithoutReadingAsync(stalled);
        await listener.WaitForAsync("presence", p => p.GetProperty("user").Str("id") == stalled.UserId);

        var bigText = string.Concat(Enumerable.Repeat(char.ConvertFromUtf32(0x1F600), 2000)); // 8 KB per message frame
        var heard = new List<long>();
        var sent = 0;
        var dropped = false;
        while (!dropped && sent < 4000)
        {
            for (var i = 0; i < 20; i++, sent++) await sender.SendMessageAsync($"m-{sent}", bigText);
            await sender.WaitForAsync("ack", a => a.Str("clientMessageId") == $"m-{sent - 1}", TimeSpan.FromSeconds(60));
            await sender.CollectAsync(TimeSpan.Zero); // the sender reads its own frames and lets them go
            // The listener takes each batch before the next one is sent. Otherwise a listener that
            // falls 100 frames behind on a loaded machine is dropped as well, and this test is
            // about the one that stopped reading, not about how fast a test process can read.
            var last = await listener.WaitForAsync("message", m => m.Str("clientMessageId") == $"m-{sent - 1}", TimeSpan.FromSeconds(60));
            heard.Add(last.GetProperty("seq").GetInt64());
            dropped = listener.TryTake("presence", p => p.GetProperty("user").Str("id") == stalled.UserId && p.Str("status") == "offline");
        }
        Assert.True(dropped, $"the stalled reader was still in the room after {sent} messages of 8 KB");
        output.WriteLine($"stalled reader dropped after {sent} messages of 8 KB");

        await sender.SendMessageAsync("after-drop", "still flowing");
        await listener.WaitForAsync("message", m => m.Str("clientMessageId") == "after-drop", TimeSpan.FromSeconds(60));
        heard.AddRange((await listener.CollectAsync(TimeSpan.Zero)).Where(f => f.Type() == "message").Select(f => f.GetProperty("seq").GetInt64()));
        Assert.Equal(Enumerable.Range(1, sent).Select(i => (long)i), heard.Order());

        stalledSocket.StartReading();
        var status = await stalledSocket.WaitForCloseAsync(TimeSpan.FromSeconds(60));
        Assert.True(status is null or WebSocketCloseStatus.PolicyViolation, $"closed with {status}");
        Assert.DoesNotContain(stalled.UserId, (await app.GetJsonAsync("/api/rooms/lobby/presence")).GetProperty("users").EnumerateArray().Select(u => u.Str("id")));
    }
}
