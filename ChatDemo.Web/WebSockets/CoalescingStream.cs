using System.Buffers;
using Microsoft.AspNetCore.Http.Features;

namespace ChatDemo.Web.WebSockets;

/// <summary>
/// The upgraded connection's stream, with one addition: while <see cref="Holding"/> is set, writes
/// are kept back and go out together with the next write that is not held. The send loop holds
/// each frame of a backlog but the last, so a connection that has fallen behind gets its frames
/// in one Kestrel write (one pipe flush, one syscall) instead of one each — what SignalR gets from
/// its pipe, while protocol v1 keeps one JSON object per WebSocket frame. A connection that keeps
/// up never holds anything: each frame is written at once, and no buffer is kept between bursts.
/// </summary>
/// <remarks>
/// The WebSocket serializes its writes (frames, pongs, the close), so held bytes and the write
/// that releases them never race; a pong written while a frame is held simply leaves with it.
/// </remarks>
internal sealed class CoalescingStream(Stream inner) : Stream
{
    private byte[]? _held;
    private int _heldLength;

    /// <summary>Set by the send loop before a frame that more frames follow; cleared for the last.</summary>
    public bool Holding { get; set; }

    public int HeldBytes => _heldLength;

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Holding)
        {
            Hold(buffer.Span);
            return ValueTask.CompletedTask;
        }
        if (_heldLength == 0) return inner.WriteAsync(buffer, cancellationToken);
        Hold(buffer.Span);
        var write = inner.WriteAsync(_held.AsMemory(0, _heldLength), cancellationToken);
        // Kestrel's upgraded stream has copied the bytes into its output pipe by the time WriteAsync
        // returns (UpgradedStreamTests pins this), so the buffer goes back to the pool now rather
        // than when a flush waiting on a slow reader completes: a rented buffer is never held across
        // a wait on the network, so the shared pool covers every connection that is behind and no
        // miss allocates a large array (docs/benchmarks.md, "Fourth round").
        ReturnHeld();
        return write;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override bool CanRead => inner.CanRead;

    public override bool CanWrite => inner.CanWrite;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ReturnHeld();
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    private void Hold(ReadOnlySpan<byte> bytes)
    {
        var needed = _heldLength + bytes.Length;
        if (_held is null || _held.Length < needed)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, 16 * 1024));
            if (_held is not null)
            {
                _held.AsSpan(0, _heldLength).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_held);
            }
            _held = larger;
        }
        bytes.CopyTo(_held.AsSpan(_heldLength));
        _heldLength = needed;
    }

    private void ReturnHeld()
    {
        if (_held is not null) ArrayPool<byte>.Shared.Return(_held);
        _held = null;
        _heldLength = 0;
    }
}

/// <summary>
/// Wraps the server's upgrade so that the WebSocket accepted over it writes through a
/// <see cref="CoalescingStream"/>; the /ws endpoint finds the stream here after the accept.
/// </summary>
internal sealed class CoalescingUpgradeFeature(IHttpUpgradeFeature inner) : IHttpUpgradeFeature
{
    public CoalescingStream? Stream { get; private set; }

    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync() => Stream = new CoalescingStream(await inner.UpgradeAsync());
}
