using ChatDemo.Web.WebSockets;

namespace ChatDemo.Web.Tests.Unit;

public sealed class CoalescingStreamTests
{
    [Fact]
    public async Task WithoutHoldingEveryWriteGoesStraightThrough()
    {
        var inner = new RecordingStream();
        await using var stream = new CoalescingStream(inner);

        await stream.WriteAsync("one"u8.ToArray());
        await stream.WriteAsync("two"u8.ToArray());

        Assert.Equal(["one", "two"], inner.Writes);
    }

    [Fact]
    public async Task HeldWritesLeaveTogetherWithTheFirstWriteNotHeld()
    {
        var inner = new RecordingStream();
        await using var stream = new CoalescingStream(inner);

        stream.Holding = true;
        await stream.WriteAsync("a"u8.ToArray());
        await stream.WriteAsync("b"u8.ToArray());
        Assert.Empty(inner.Writes);
        Assert.Equal(2, stream.HeldBytes);

        stream.Holding = false;
        await stream.WriteAsync("c"u8.ToArray());
        await stream.WriteAsync("d"u8.ToArray());

        Assert.Equal(["abc", "d"], inner.Writes);
        Assert.Equal(0, stream.HeldBytes);
    }

    [Fact]
    public async Task AHoldLargerThanItsFirstBufferKeepsEveryByteInOrder()
    {
        var inner = new RecordingStream();
        await using var stream = new CoalescingStream(inner);
        var chunks = Enumerable.Range(0, 40).Select(i => new string((char)('A' + i % 26), 1000)).ToList();

        stream.Holding = true;
        foreach (var chunk in chunks) await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(chunk));
        stream.Holding = false;
        await stream.WriteAsync("end"u8.ToArray());

        Assert.Equal([string.Concat(chunks) + "end"], inner.Writes);
    }

    [Fact]
    public async Task ReadsIncludingZeroByteReadsGoToTheInnerStream()
    {
        var inner = new RecordingStream("hello"u8.ToArray());
        await using var stream = new CoalescingStream(inner);

        Assert.Equal(0, await stream.ReadAsync(Memory<byte>.Empty));
        var buffer = new byte[16];
        var read = await stream.ReadAsync(buffer);

        Assert.Equal("hello", System.Text.Encoding.ASCII.GetString(buffer, 0, read));
        Assert.Equal(2, inner.Reads);
    }

    /// <summary>Records each write as one string, so a test sees how writes were grouped.</summary>
    private sealed class RecordingStream(byte[]? readable = null) : MemoryStream(readable ?? [])
    {
        public List<string> Writes { get; } = [];

        public int Reads { get; private set; }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes.Add(System.Text.Encoding.ASCII.GetString(buffer.Span));
            return ValueTask.CompletedTask;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Reads++;
            return base.ReadAsync(buffer, cancellationToken);
        }
    }
}
