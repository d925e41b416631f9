using System.Buffers;
using System.Net.WebSockets;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Configuration;

namespace ChatDemo.Web.WebSockets;

/// <summary>
/// One Kestrel WebSocket: a receive loop that hands each text frame to the chat logic, and a
/// bounded queue of frames to send. Only one send is in flight at a time, and nothing ever waits
/// for a slow reader: a full queue drops the connection (1008).
/// </summary>
/// <remarks>
/// Built for many mostly idle connections and one frame fanned out to all of them (measured in
/// docs/benchmarks.md). A frame is written by the thread that queues it when the connection has no
/// send in flight (the usual case: Kestrel takes the bytes at once), so a delivery costs no thread
/// pool hop; a send that has to wait becomes a pump that drains the queue and then ends. An idle
/// connection therefore holds no send loop, no receive buffer (it waits for the next frame with a
/// zero-byte read) and no queue until one is needed.
/// </remarks>
public sealed class WebSocketClient
{
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(3);
    private const int ReceiveBufferBytes = 4096;

    // Protocol v1 is JSON text frames; a binary frame is answered like any other non-JSON input.
    private static readonly ReadOnlyMemory<byte> BinaryFrame = new byte[] { 0 };

    private readonly ConnectionLimitOptions _limits;
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _sendingDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebSocket? _socket;
    private Queue<ReadOnlyMemory<byte>>? _queue;
    private long _queuedBytes;
    private bool _sending;
    private bool _discarding;
    private bool _closeDeadlinePassed;
    private bool _finished;
    private WebSocketCloseStatus? _closeStatus;
    private string _closeReason = "";

    public WebSocketClient(ChatClient client, ConnectionLimitOptions limits)
    {
        Client = client;
        _limits = limits;
    }

    public ChatClient Client { get; }

    public string ConnectionId => Client.ConnectionId;

    public string Room => Client.Room;

    /// <summary>Queues a frame; false (and the connection dropped) when its queue is full.</summary>
    public bool TryEnqueue(ReadOnlyMemory<byte> frame)
    {
        lock (_lock)
        {
            if (_closeStatus is not null || _discarding) return false;
            var waiting = _queue?.Count ?? 0;
            if (waiting + 1 > _limits.SendQueueFrames || _queuedBytes + frame.Length > _limits.SendQueueBytes)
            {
                DropLocked(WebSocketCloseStatus.PolicyViolation, "send queue full: the client is not reading");
                return false;
            }
            if (_sending || _socket is null)
            {
                (_queue ??= new Queue<ReadOnlyMemory<byte>>(4)).Enqueue(frame);
                _queuedBytes += frame.Length;
                return true;
            }
            _sending = true;
        }
        _ = PumpAsync(frame);
        return true;
    }

    /// <summary>Closes after the frames already queued have been sent.</summary>
    public void Close(WebSocketCloseStatus status, string reason)
    {
        bool startPump;
        lock (_lock)
        {
            if (_closeStatus is not null) return;
            _closeStatus = status;
            _closeReason = reason;
            startPump = !_sending && _socket is not null;
            if (startPump) _sending = true;
        }
        // The peer has a few seconds to answer the close; then its socket is cut.
        _ = CutAfterCloseDeadlineAsync();
        // Off the caller's thread, as closes come in bulk on shutdown (CloseAll) and are not hot.
        if (startPump) _ = Task.Run(() => PumpAsync(null));
    }

    /// <summary>Closes at once: queued frames are discarded and a send in progress is abandoned.</summary>
    private void DropLocked(WebSocketCloseStatus status, string reason)
    {
        var sendInFlight = _sending;
        _discarding = true;
        _queue?.Clear();
        _queuedBytes = 0;
        if (_closeStatus is null)
        {
            _closeStatus = status;
            _closeReason = reason;
            _ = CutAfterCloseDeadlineAsync();
        }
        if (sendInFlight)
        {
            // The client is not taking the frame being written: even the close cannot get through.
            _socket?.Abort();
        }
        else if (_socket is not null)
        {
            _sending = true;
            _ = Task.Run(() => PumpAsync(null));
        }
    }

    /// <summary>Runs the connection until either side closes it or it breaks.</summary>
    public async Task RunAsync(
        WebSocket socket,
        Func<ChatClient, ReadOnlyMemory<byte>, CancellationToken, Task<FrameOutcome>> handleFrame,
        CancellationToken requestAborted)
    {
        bool startPump;
        lock (_lock)
        {
            _socket = socket;
            startPump = !_sending && (_queue is { Count: > 0 } || _closeStatus is not null);
            if (startPump) _sending = true;
        }
        if (startPump) _ = PumpAsync(null);
        try
        {
            if (Volatile.Read(ref _closeDeadlinePassed)) socket.Abort();
            await ReceiveLoopAsync(socket, handleFrame, requestAborted);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The peer went away without a close handshake, or did not answer ours.
        }
        finally
        {
            Close(WebSocketCloseStatus.NormalClosure, "");
            if (await Task.WhenAny(_sendingDone.Task, Task.Delay(CloseHandshakeTimeout, CancellationToken.None)) != _sendingDone.Task)
                socket.Abort();
            await _sendingDone.Task;
            Volatile.Write(ref _finished, true);
            if (socket.State is not (WebSocketState.Closed or WebSocketState.Aborted)) socket.Abort();
        }
    }

    private async Task ReceiveLoopAsync(
        WebSocket socket,
        Func<ChatClient, ReadOnlyMemory<byte>, CancellationToken, Task<FrameOutcome>> handleFrame,
        CancellationToken requestAborted)
    {
        var maxFrame = _limits.MaxFrameBytes;
        while (true)
        {
            // Wait for the next frame without holding a buffer: idle connections are most of them.
            var result = await socket.ReceiveAsync(Memory<byte>.Empty, requestAborted);
            if (IsClose(socket, result)) return;

            var buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferBytes);
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
                    result = await socket.ReceiveAsync(buffer.AsMemory(length), requestAborted);
                    if (IsClose(socket, result)) return;
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
                    Close(WebSocketCloseStatus.PolicyViolation, "rate limit exceeded repeatedly");
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>The client's close, or its answer to ours: reply with the same code.</summary>
    private bool IsClose(WebSocket socket, ValueWebSocketReceiveResult result)
    {
        if (result.MessageType != WebSocketMessageType.Close) return false;
        Close(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, "");
        return true;
    }

    /// <summary>
    /// Writes <paramref name="frame"/> (if any) and then whatever was queued meanwhile, then the close
    /// frame once the connection is closing. The caller has set <see cref="_sending"/>.
    /// </summary>
    private async Task PumpAsync(ReadOnlyMemory<byte>? frame)
    {
        var socket = _socket!;
        try
        {
            while (true)
            {
                // Not cancellable on purpose: that keeps ManagedWebSocket on its allocation-free path;
                // a drop aborts the socket instead.
                if (frame is { } next) await socket.SendAsync(next, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                lock (_lock)
                {
                    if (!_discarding && _queue is { Count: > 0 } queue)
                    {
                        frame = queue.Dequeue();
                        _queuedBytes -= frame.Value.Length;
                        continue;
                    }
                    if (_closeStatus is null)
                    {
                        _sending = false;
                        return;
                    }
                }
                break;
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Dropped or broken; the close below says why when it can still be written.
            lock (_lock)
            {
                _discarding = true;
                _queue?.Clear();
                _queuedBytes = 0;
                if (_closeStatus is null)
                {
                    _sending = false;
                    return;
                }
            }
        }
        await SendCloseAsync(socket);
        _sendingDone.TrySetResult();
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

    private async Task CutAfterCloseDeadlineAsync()
    {
        await Task.Delay(CloseHandshakeTimeout, CancellationToken.None);
        Volatile.Write(ref _closeDeadlinePassed, true);
        if (Volatile.Read(ref _finished)) return;
        try
        {
            _socket?.Abort();
        }
        catch (ObjectDisposedException)
        {
            // Finished in the meantime.
        }
    }
}
