using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Configuration;
using ChatDemo.Web.Telemetry;

namespace ChatDemo.Web.WebSockets;

/// <summary>
/// One Kestrel WebSocket: a receive loop that hands each text frame to the chat logic, and a
/// send loop that drains a bounded queue. Only the send loop writes to the socket, and nothing
/// ever waits for a slow reader: a full queue drops the connection (1008).
/// </summary>
/// <remarks>
/// An idle connection keeps as little as it can (docs/benchmarks.md): no receive buffer, and no
/// cancellation source or registration. Deadlines and drops abort the socket instead of
/// cancelling its reads and writes, which is what a cancelled WebSocket operation does anyway;
/// the timer for the close handshake exists only once a close has begun.
/// </remarks>
public sealed class WebSocketClient
{
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan FaultedCloseLinger = TimeSpan.FromMilliseconds(500);
    private const int MaxCoalescedBytes = 64 * 1024;

    private readonly FrameOutbox _outbox = new();
    private readonly ConnectionLimitOptions _limits;
    private readonly ChatMetrics _metrics;
    private readonly TimeProvider _time;
    private int _queuedFrames;
    private long _queuedBytes;
    private WebSocketCloseStatus? _closeStatus;
    private string _closeReason = "";
    private WebSocket? _socket;
    private Timer? _closeDeadline;
    private int _sending;
    private int _dropped;
    private bool _deadlinePassed;

    public WebSocketClient(ChatClient client, ConnectionLimitOptions limits, ChatMetrics metrics, TimeProvider time)
    {
        Client = client;
        _limits = limits;
        _metrics = metrics;
        _time = time;
    }

    public ChatClient Client { get; }

    public string ConnectionId => Client.ConnectionId;

    public string Room => Client.Room;

    /// <summary>Queues a frame; false (and the connection dropped) when its queue is full.</summary>
    public bool TryEnqueue(ReadOnlyMemory<byte> frame) => HasRoomFor(frame) && _outbox.TryWrite(frame);

    /// <summary>
    /// Queues a frame and, when its send loop was waiting, returns true instead of waking it: the
    /// caller then calls <see cref="WakeSendLoop"/>, which runs the send on the caller's thread.
    /// </summary>
    internal bool EnqueueDeferringWake(RoomEvent roomEvent) =>
        HasRoomFor(roomEvent.Frame) && _outbox.TryWrite(new OutboundFrame(roomEvent.Frame, roomEvent), out var wake) && wake;

    internal void WakeSendLoop() => _outbox.WakeReader();

    private bool HasRoomFor(ReadOnlyMemory<byte> frame)
    {
        if (_closeStatus is not null) return false;
        var frames = Interlocked.Increment(ref _queuedFrames);
        var bytes = Interlocked.Add(ref _queuedBytes, frame.Length);
        if (frames <= _limits.SendQueueFrames && bytes <= _limits.SendQueueBytes) return true;
        if (_closeStatus is null) _metrics.SlowConsumersDropped.Add(1);
        Drop(WebSocketCloseStatus.PolicyViolation, "send queue full: the client is not reading");
        return false;
    }

    /// <summary>Closes after the frames already queued have been sent.</summary>
    public void Close(WebSocketCloseStatus status, string reason)
    {
        lock (_outbox)
        {
            if (_closeStatus is not null) return;
            _closeStatus = status;
            _closeReason = reason;
        }
        _outbox.Complete();
        // The peer has a few seconds to answer the close; then its socket is cut.
        var deadline = new Timer(static state =>
        {
            var client = (WebSocketClient)state!;
            Volatile.Write(ref client._deadlinePassed, true);
            client.Abort();
        }, this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        lock (_outbox) _closeDeadline = deadline;
        deadline.Change(CloseHandshakeTimeout, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Closes at once: queued frames are discarded and a send in progress is abandoned.</summary>
    private void Drop(WebSocketCloseStatus status, string reason)
    {
        Close(status, reason);
        Interlocked.Exchange(ref _dropped, 1);
        // A send in progress is abandoned by aborting the socket, as cancelling it would; with no
        // send in progress the send loop stops at its next frame and writes the close instead.
        // Through the thread pool: a drop happens inside a room's publish, which must not run the
        // aborted socket's continuations (and the connection's removal from that room) itself.
        if (Volatile.Read(ref _sending) == 1)
            ThreadPool.UnsafeQueueUserWorkItem(static client => client.Abort(), this, preferLocal: false);
    }

    private void Abort() => Volatile.Read(ref _socket)?.Abort();

    /// <summary>
    /// Runs the connection until either side closes it or it breaks. <paramref name="coalescing"/>
    /// is the stream under <paramref name="socket"/> when the server's upgrade went through one.
    /// </summary>
    internal async Task RunAsync(
        WebSocket socket,
        CoalescingStream? coalescing,
        Func<ChatClient, ReadOnlyMemory<byte>, CancellationToken, Task<FrameOutcome>> handleFrame,
        CancellationToken requestAborted)
    {
        Volatile.Write(ref _socket, socket);
        // A close that began before the socket was here (a shutdown) still gets its deadline's abort.
        if (Volatile.Read(ref _deadlinePassed)) socket.Abort();
        var sending = SendLoopAsync(socket, coalescing);
        try
        {
            // Not cancellable: a client that goes away ends the read (Kestrel completes the upgraded
            // stream), and the close deadline aborts the socket.
            await ReceiveLoopAsync(socket, handleFrame, requestAborted);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The peer went away without a close handshake, or did not answer ours; or it broke the
            // WebSocket protocol (a text frame that is not UTF-8) and the socket sent its close code.
            if (socket.State == WebSocketState.CloseSent) await AwaitPeerCloseAsync(socket);
            else if (e is WebSocketException { WebSocketErrorCode: WebSocketError.Faulted })
            {
                // .NET wrote its close (1007, 1002) and then marked the socket aborted, so there is
                // no handshake to wait for. Ending the request at once could reset the TCP
                // connection before that close frame is out, and the peer would never learn why.
                await Task.Delay(FaultedCloseLinger, CancellationToken.None);
            }
        }
        finally
        {
            Close(WebSocketCloseStatus.NormalClosure, "");
            if (await Task.WhenAny(sending, Task.Delay(CloseHandshakeTimeout, CancellationToken.None)) != sending)
                socket.Abort();
            await sending;
            if (socket.State is not (WebSocketState.Closed or WebSocketState.Aborted)) socket.Abort();
            Timer? deadline;
            lock (_outbox) deadline = _closeDeadline;
            deadline?.Dispose();
        }
    }

    /// <summary>
    /// Reads frames one at a time and hands each to the chat logic. An idle connection holds no
    /// buffer: it waits for the next frame with a zero-byte read and rents one only once data is
    /// there: most connections are idle most of the time, so none holds a buffer while it waits.
    /// </summary>
    private async Task ReceiveLoopAsync(
        WebSocket socket,
        Func<ChatClient, ReadOnlyMemory<byte>, CancellationToken, Task<FrameOutcome>> handleFrame,
        CancellationToken requestAborted)
    {
        var maxFrame = _limits.MaxFrameBytes;
        // Each frame starts its own trace: under the upgrade request's span, which lasts as long as
        // the connection, a busy connection's messages would all be one endless trace.
        Activity.Current = null;
        while (true)
        {
            var result = await socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
            if (IsClose(result)) return;

            var buffer = ArrayPool<byte>.Shared.Rent(4096);
            try
            {
                var length = 0;
                while (!result.EndOfMessage)
                {
                    if (length == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxFrame + 1));
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                    result = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    if (IsClose(result)) return;
                    length += result.Count;
                    if (length > maxFrame)
                    {
                        Close(WebSocketCloseStatus.MessageTooBig, $"frame larger than {maxFrame} bytes");
                        length = 0; // keep reading (and discarding) until the peer's close arrives
                    }
                }

                if (_closeStatus is not null) continue;

                var frame = result.MessageType == WebSocketMessageType.Text ? buffer.AsMemory(0, length) : BinaryFrame;
                if (await handleFrame(Client, frame, requestAborted) == FrameOutcome.CloseForFlooding)
                    Close(WebSocketCloseStatus.PolicyViolation, ConnectionRegistry.FloodCloseReason);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        // The client's close, or its answer to ours: reply with the same code.
        bool IsClose(ValueWebSocketReceiveResult received)
        {
            if (received.MessageType != WebSocketMessageType.Close) return false;
            Close(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, "");
            return true;
        }
    }

    /// <summary>Lets the peer read the close frame already sent: cutting the TCP connection now could discard it.</summary>
    private static async Task AwaitPeerCloseAsync(WebSocket socket)
    {
        var buffer = new byte[1024];
        try
        {
            using var timeout = new CancellationTokenSource(CloseHandshakeTimeout);
            while (socket.State == WebSocketState.CloseSent && (await socket.ReceiveAsync(buffer, timeout.Token)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The peer did not answer; the socket is cut below.
        }
    }

    // Protocol v1 is JSON text frames; a binary frame is answered like any other non-JSON input.
    private static readonly ReadOnlyMemory<byte> BinaryFrame = new byte[] { 0 };

    private async Task SendLoopAsync(WebSocket socket, CoalescingStream? coalescing)
    {
        try
        {
            // A drop completes the outbox and sets _dropped: queued frames are discarded.
            while (await _outbox.WaitToReadAsync() && Volatile.Read(ref _dropped) == 0)
            {
                while (_outbox.TryRead(out var outbound, out var more))
                {
                    var frame = outbound.Bytes;
                    Interlocked.Decrement(ref _queuedFrames);
                    Interlocked.Add(ref _queuedBytes, -frame.Length);
                    // Marked before the drop flag is read, so that a drop either stops this send
                    // or sees it in progress and aborts it (Drop does the reverse).
                    Interlocked.Exchange(ref _sending, 1);
                    if (Volatile.Read(ref _dropped) == 1) break;
                    // A backlog leaves in writes of up to MaxCoalescedBytes; the last frame releases them.
                    if (coalescing is not null) coalescing.Holding = more && coalescing.HeldBytes + frame.Length < MaxCoalescedBytes;
                    using var span = DeliverySpan(outbound.Event);
                    await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                    Volatile.Write(ref _sending, 0);
                    if (outbound.Event is { Kind: RoomEventKind.Message } delivered) MeasureDelivery(delivered);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Dropped or broken; the close below says why when it can still be written.
        }
        if (coalescing is not null) coalescing.Holding = false; // the close frame takes anything still held with it
        await SendCloseAsync(socket);
    }

    /// <summary>A message's write to this socket, in the trace of the frame that sent it (only when that trace is recorded).</summary>
    private Activity? DeliverySpan(RoomEvent? roomEvent)
    {
        if (roomEvent is not { Kind: RoomEventKind.Message } || (roomEvent.Trace.TraceFlags & ActivityTraceFlags.Recorded) == 0) return null;
        var span = ChatTelemetry.StartContinuation("chat.deliver", ActivityKind.Producer, roomEvent.Trace, roomEvent.Room, roomEvent.Seq);
        span?.SetTag(ChatTelemetry.Attributes.ConnectionId, ConnectionId);
        return span;
    }

    private void MeasureDelivery(RoomEvent message)
    {
        _metrics.Deliveries.Add(1);
        if (message.AcceptedAt is { } acceptedAt)
            _metrics.DeliveryLatency.Record((_time.GetUtcNow() - acceptedAt).TotalMilliseconds);
    }

    private async Task SendCloseAsync(WebSocket socket)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return;
        try
        {
            using var timeout = new CancellationTokenSource(CloseHandshakeTimeout);
            await socket.CloseOutputAsync(_closeStatus ?? WebSocketCloseStatus.NormalClosure, _closeReason, timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Not even the close frame can be written: cut the TCP connection.
            socket.Abort();
        }
    }
}
