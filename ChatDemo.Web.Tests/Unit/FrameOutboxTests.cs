using ChatDemo.Web.WebSockets;

namespace ChatDemo.Web.Tests.Unit;

public sealed class FrameOutboxTests
{
    private static readonly ReadOnlyMemory<byte> A = "a"u8.ToArray(), B = "b"u8.ToArray();

    [Fact]
    public async Task FramesComeOutInTheOrderTheyWentIn()
    {
        var outbox = new FrameOutbox();
        Assert.True(outbox.TryWrite(A));
        Assert.True(outbox.TryWrite(B));

        Assert.True(await outbox.WaitToReadAsync());
        Assert.True(outbox.TryRead(out var first, out var moreAfterFirst));
        Assert.True(moreAfterFirst);
        Assert.True(outbox.TryRead(out var second, out var moreAfterSecond));
        Assert.False(moreAfterSecond);
        Assert.False(outbox.TryRead(out _, out _));
        Assert.Equal("ab", $"{(char)first.Bytes.Span[0]}{(char)second.Bytes.Span[0]}");
    }

    [Fact]
    public async Task AWaitingReaderWakesOnTheNextWrite()
    {
        var outbox = new FrameOutbox();
        var waiting = outbox.WaitToReadAsync().AsTask();
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);

        outbox.TryWrite(A);

        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(outbox.TryRead(out _, out _));
    }

    [Fact]
    public async Task AWakeLeftToTheWriterHappensOnlyWhenTheWriterWakes()
    {
        var outbox = new FrameOutbox();
        Assert.True(outbox.TryWrite(A, out var wakeWhileNobodyWaits));
        Assert.False(wakeWhileNobodyWaits);
        Assert.True(await outbox.WaitToReadAsync());
        Assert.True(outbox.TryRead(out _, out _));

        var waiting = outbox.WaitToReadAsync().AsTask();
        Assert.True(outbox.TryWrite(B, out var wake));
        Assert.True(wake);
        Assert.True(outbox.TryWrite(A, out var secondWake));
        Assert.False(secondWake); // one wake per wait
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);

        outbox.WakeReader();

        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task CompletingHandsOutWhatIsQueuedThenSaysNoMore()
    {
        var outbox = new FrameOutbox();
        outbox.TryWrite(A);
        outbox.Complete();

        Assert.False(outbox.TryWrite(B));
        Assert.True(await outbox.WaitToReadAsync());
        Assert.True(outbox.TryRead(out _, out _));
        Assert.False(await outbox.WaitToReadAsync());
    }

    [Fact]
    public async Task CompletingWakesAWaitingReaderWithFalse()
    {
        var outbox = new FrameOutbox();
        var waiting = outbox.WaitToReadAsync().AsTask();

        outbox.Complete();

        Assert.False(await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task ManyWritersOneReaderLoseAndDoubleNothing()
    {
        var outbox = new FrameOutbox();
        const int writers = 4, each = 5_000;
        var reading = Task.Run(async () =>
        {
            var count = 0;
            while (await outbox.WaitToReadAsync())
            {
                while (outbox.TryRead(out _, out _)) count++;
            }
            return count;
        });

        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < each; i++) Assert.True(outbox.TryWrite(A));
        })));
        outbox.Complete();

        Assert.Equal(writers * each, await reading.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
