using System.Diagnostics;
using ChatDemo.Web.Telemetry;

namespace ChatDemo.Web.Chat;

/// <summary>
/// Group commit for a room's sends. A room's store write and fan-out run under its lock, one
/// message after another, so that every connection sees the room's <c>seq</c> order; a store
/// transaction per message would make that serialized section, not the cores, the limit of a busy
/// room (docs/benchmarks.md, "Third round"). So the first sender to find its room idle takes the
/// lock and drains: every message that arrived meanwhile goes into one store call (one SQLite
/// transaction), is published in order, and each sender gets its own result. A message never
/// waits for a batch to fill: at low rates a batch is one message.
/// Each message's fan-out continues its own sender's trace, whichever sender's drain publishes it.
/// </summary>
public sealed class MessageAppender(IMessageStore store, IRoomFanOut fanOut, RoomLocks roomLocks, ChatMetrics metrics, ILogger<MessageAppender> logger)
{
    // Bounds one transaction (and how long the room lock is held for one batch).
    private const int MaxBatch = 128;

    private readonly Dictionary<string, List<Pending>> _waiting = new(StringComparer.Ordinal);

    /// <summary>
    /// Stores the message and publishes it to its room unless it is a duplicate; completes once
    /// both are done. Throws what the store threw (the message may then need to be sent again).
    /// </summary>
    public Task<AppendResult> AppendAsync(NewMessage message)
    {
        var pending = new Pending(message);
        bool drain;
        lock (_waiting)
        {
            drain = !_waiting.TryGetValue(message.Room, out var queue);
            if (drain) _waiting[message.Room] = queue = [];
            queue!.Add(pending);
        }
        // Not awaited: the drain completes every waiting sender's task, this one's included.
        if (drain) _ = DrainAsync(message.Room);
        return pending.Result.Task;
    }

    private async Task DrainAsync(string room)
    {
        // Senders do not cancel a drain: it completes other senders' messages too, and each store
        // call has its own deadline (DynamoDB) or is local and short (SQLite). A sender that went away still has its message stored.
        using (await roomLocks.EnterAsync(room, CancellationToken.None, "SendMessage"))
        {
            while (TakeBatch(room) is { } batch)
            {
                try
                {
                    await AppendAndPublishAsync(room, batch);
                }
                catch (Exception e)
                {
                    // Whatever went wrong, no sender is left waiting and the room keeps draining.
                    foreach (var pending in batch) pending.Result.TrySetException(e);
                }
            }
        }
    }

    /// <summary>Up to <see cref="MaxBatch"/> waiting messages; null (and the room forgotten) when none are left.</summary>
    private List<Pending>? TakeBatch(string room)
    {
        lock (_waiting)
        {
            var queue = _waiting[room];
            if (queue.Count == 0)
            {
                _waiting.Remove(room);
                return null;
            }
            if (queue.Count <= MaxBatch)
            {
                _waiting[room] = [];
                return queue;
            }
            var batch = queue.GetRange(0, MaxBatch);
            queue.RemoveRange(0, MaxBatch);
            return batch;
        }
    }

    private async Task AppendAndPublishAsync(string room, List<Pending> batch)
    {
        IReadOnlyList<AppendResult> results;
        try
        {
            results = await store.AppendMessagesAsync(batch.ConvertAll(p => p.Message), CancellationToken.None);
        }
        catch (Exception e)
        {
            foreach (var pending in batch) pending.Result.SetException(e);
            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (results[i].Duplicate) continue;
            metrics.MessagesAccepted.Add(1);
            var message = results[i].Message;
            using var span = ChatTelemetry.StartContinuation("chat.fanout.publish", ActivityKind.Producer, batch[i].Trace, room, message.Seq);
            try
            {
                await fanOut.PublishAsync(
                    new RoomEvent(room, RoomEventKind.Message, ServerFrames.Message(message),
                        Trace: span?.Context ?? batch[i].Trace, Seq: message.Seq, AcceptedAt: message.SentAt),
                    CancellationToken.None);
            }
            catch (Exception e)
            {
                span?.SetStatus(ActivityStatusCode.Error, "fan-out failed");
                // The message is durable: the sender still gets its ack, and the room's clients
                // fetch it from history when the next message shows them the gap (protocol.md 5).
                // Answering an error here would make the resend a silent duplicate instead.
                ChatLog.PublishFailed(logger, e, room, results[i].Message.Seq);
            }
        }
        for (var i = 0; i < batch.Count; i++) batch[i].Result.TrySetResult(results[i]);
    }

    private sealed class Pending(NewMessage message)
    {
        public NewMessage Message { get; } = message;

        /// <summary>The sender's span (its frame), which the message's fan-out continues.</summary>
        public ActivityContext Trace { get; } = Activity.Current?.Context ?? default;

        // Asynchronous continuations: the drain must not run each sender's ack on its own thread.
        public TaskCompletionSource<AppendResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
