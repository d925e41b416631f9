using System.Threading.Tasks.Sources;
using ChatDemo.Web.Chat;

namespace ChatDemo.Web.WebSockets;

/// <summary>
/// A connection's queue of frames to send: many writers (room events, replies), one reader (its
/// send loop). An idle connection's queue holds no segment or pre-allocated operations (an
/// unbounded <c>Channel</c> does; docs/benchmarks.md, "Second round"), because most connections
/// are idle most of the time and each one's empty state is paid for a thousandfold.
/// Bounds are enforced by <see cref="WebSocketClient"/>, which counts frames and bytes.
/// A waiting reader is woken through the thread pool's global queue: one room event wakes
/// every member's reader, and queueing those wake-ups locally (as a value-task source that runs
/// continuations asynchronously does) would leave the publishing thread to run them all.
/// </summary>
internal sealed class FrameOutbox : IValueTaskSource<bool>, IThreadPoolWorkItem
{
    // After a burst the queue's array keeps its size; above this it is trimmed once drained.
    private const int KeptCapacity = 16;

    private readonly Queue<OutboundFrame> _frames = new();
    private ManualResetValueTaskSourceCore<bool> _signal;
    private bool _wakeResult;
    private int _highWater;
    private bool _readerWaiting;
    private bool _completed;

    /// <summary>Queues a frame; false once <see cref="Complete"/> was called.</summary>
    public bool TryWrite(OutboundFrame frame)
    {
        if (!TryWrite(frame, out var wake)) return false;
        if (wake) ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        return true;
    }

    /// <summary>
    /// Queues a frame without waking a waiting reader: <paramref name="wake"/> says the caller must
    /// call <see cref="WakeReader"/>. A room event wakes its members' readers in a few batches
    /// rather than one thread-pool work item each.
    /// </summary>
    public bool TryWrite(OutboundFrame frame, out bool wake)
    {
        lock (_frames)
        {
            wake = false;
            if (_completed) return false;
            _frames.Enqueue(frame);
            _highWater = Math.Max(_highWater, _frames.Count);
            if (!_readerWaiting) return true;
            _readerWaiting = false;
            _wakeResult = true;
            wake = true;
            return true;
        }
    }

    /// <summary>Runs the reader woken by <see cref="TryWrite(OutboundFrame, out bool)"/> on this thread, up to its next wait.</summary>
    public void WakeReader() => _signal.SetResult(_wakeResult);

    /// <summary>No more frames: the reader gets those already queued, then false.</summary>
    public void Complete()
    {
        lock (_frames)
        {
            if (_completed) return;
            _completed = true;
            if (!_readerWaiting) return;
            _readerWaiting = false;
            _wakeResult = false;
        }
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <summary>Takes the next frame; <paramref name="more"/> says whether others are queued behind it.</summary>
    public bool TryRead(out OutboundFrame frame, out bool more)
    {
        lock (_frames)
        {
            var read = _frames.TryDequeue(out frame);
            more = _frames.Count > 0;
            if (read) return true;
            if (_highWater > KeptCapacity)
            {
                _frames.TrimExcess();
                _highWater = 0;
            }
            return false;
        }
    }

    /// <summary>True when a frame can be read; false when completed and drained. One reader only.</summary>
    public ValueTask<bool> WaitToReadAsync()
    {
        lock (_frames)
        {
            if (_frames.Count > 0) return new ValueTask<bool>(true);
            if (_completed) return new ValueTask<bool>(false);
            _signal.Reset();
            _readerWaiting = true;
            return new ValueTask<bool>(this, _signal.Version);
        }
    }

    void IThreadPoolWorkItem.Execute() => WakeReader();

    bool IValueTaskSource<bool>.GetResult(short token) => _signal.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _signal.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _signal.OnCompleted(continuation, state, token, flags);
}

/// <summary>A frame to send, and the room event it belongs to (null for replies): its delivery is measured and traced.</summary>
internal readonly record struct OutboundFrame(ReadOnlyMemory<byte> Bytes, RoomEvent? Event = null)
{
    public static implicit operator OutboundFrame(ReadOnlyMemory<byte> bytes) => new(bytes);

    public static implicit operator OutboundFrame(byte[] bytes) => new(bytes);
}
