using System.Diagnostics;
using System.Net.WebSockets;
using ChatDemo.Web.Tests.TestInfrastructure;
using ChatDemo.Web.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace ChatDemo.Web.Tests.Reliability;

[Collection(ReliabilityCollection.Name)]
public sealed class SlowConsumerTests(ITestOutputHelper output)
{
    private const int Messages = 3000;
    private const int QueueBytes = 1024 * 1024;

    [Fact]
    public async Task AClientThatStopsReadingIsDroppedWhileTheOthersGetEveryMessageInOrder()
    {
        await using var app = await ChatApp.StartAsync(new Dictionary<string, string?>
        {
            // A smaller queue than the default 4 MB keeps the test short; the mechanism is the same.
            ["Chat:Limits:SendQueueBytes"] = QueueBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Chat:Limits:SendBurst"] = "1000000",
            ["Chat:Limits:SendPerSecond"] = "1000000",
        });
        var registry = app.Services.GetRequiredService<ConnectionRegistry>();
        var slow = await CountingClient.ConnectAsync(app.WebSocketUri("lobby", (await app.CreateSessionAsync("Slow")).Token), read: false);
        var readers = new List<CountingClient>();
        for (var i = 0; i < 3; i++) readers.Add(await CountingClient.ConnectAsync(app.WebSocketUri("lobby", (await app.CreateSessionAsync($"Reader {i}")).Token)));
        var sender = await CountingClient.ConnectAsync(app.WebSocketUri("lobby", (await app.CreateSessionAsync("Sender")).Token));
        try
        {
            var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            var stopwatch = Stopwatch.StartNew();
            TimeSpan? droppedAt = null;
            // 2,000 three-byte characters: ~6 KB frames, 18 MB in all, far beyond the queue and the
            // kernel's socket buffers, so an unbounded queue would show in the heap.
            var text = new string('中', 2000);
            for (var n = 0; n < Messages; n++)
            {
                // At most 32 sends in flight: the sender reads its own frames too, and a test process
                // starved of CPU must not fall a whole queue (1 MB, ~170 frames) behind and be dropped
                // itself. The server still runs 18 MB at the client that never reads.
                while (sender.Acks < n - 32) await Task.Delay(1);
                await sender.SendMessageAsync($"s-{n}", text);
                if (droppedAt is null && registry.Count == 4) droppedAt = stopwatch.Elapsed;
            }
            await Poll.WaitUntilAsync(() => sender.Acks == Messages && readers.All(r => r.Messages == Messages),
                () => $"every message acknowledged and read ({sender.Acks} acks, reads {string.Join(", ", readers.Select(r => r.Messages))})", TimeSpan.FromSeconds(60));
            var lastAck = DateTime.UtcNow;
            await Poll.WaitUntilAsync(() => registry.Count == 4, () => $"the slow consumer is dropped ({registry.Count} connections left)", TimeSpan.FromSeconds(30));
            droppedAt ??= stopwatch.Elapsed;
            var sendingTook = stopwatch.Elapsed;
            var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
            var readersDoneAfterAcks = readers.Max(r => r.LastMessageAt) - lastAck;

            var slowClose = await slow.DrainUntilClosedAsync(TimeSpan.FromSeconds(30));
            output.WriteLine($"slow consumer: {Messages} messages of ~6 KB delivered in {sendingTook.TotalSeconds:0.0} s; " +
                             $"the non-reader was dropped after {droppedAt.Value.TotalSeconds:0.0} s with close {slowClose?.ToString() ?? "(connection cut)"}; " +
                             $"readers got {string.Join("/", readers.Select(r => r.Messages))} messages, {readers.Sum(r => r.OutOfOrder)} out of order; " +
                             $"managed heap grew {(heapAfter - heapBefore) / 1024.0 / 1024.0:0.0} MB");

            Assert.All(readers, r => Assert.Equal(Messages, r.Messages));
            Assert.All(readers, r => Assert.Equal(0, r.OutOfOrder));
            Assert.True(slowClose is null or WebSocketCloseStatus.PolicyViolation, $"closed with {slowClose}");
            // Dropped while the room was still busy, not merely when the sending stopped.
            Assert.True(droppedAt < sendingTook * 0.8, $"dropped only after {droppedAt} of {sendingTook}");
            // Bounded memory: the 18 MB sent did not pile up for the client that never read.
            Assert.True(heapAfter - heapBefore < 4 * QueueBytes, $"heap grew by {heapAfter - heapBefore} bytes");
            Assert.True(readersDoneAfterAcks < TimeSpan.FromSeconds(5), $"readers finished {readersDoneAfterAcks} after the last ack");
        }
        finally
        {
            await slow.DisposeAsync();
            await sender.DisposeAsync();
            foreach (var reader in readers) await reader.DisposeAsync();
        }
    }
}
