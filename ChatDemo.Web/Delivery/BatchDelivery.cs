using System.Collections.Concurrent;
using System.Diagnostics;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Telemetry;

namespace ChatDemo.Web.Delivery;

/// <summary>
/// Posts one frame to a batch of connections, concurrently but bounded. A connection that is
/// gone is disconnected through <see cref="ChatService"/> (store, presence), one that fails is
/// reported; neither affects the others. The batch's span continues the trace of the frame that
/// sent the message (carried through EventBridge and the workflow), linked to the invocation's.
/// </summary>
public sealed class BatchDelivery(IConnectionSender sender, ChatService chat, ChatMetrics metrics, TimeProvider time, ILogger<BatchDelivery> logger)
{
    /// <summary>Posts in flight at once for one batch.</summary>
    public const int MaxConcurrency = 16;

    public async Task<DeliveryReport> DeliverAsync(DeliveryBatch batch, CancellationToken cancellationToken)
    {
        var invocation = Activity.Current?.Context;
        using var span = TraceParent.Parse(batch.TraceParent) is { } parent
            ? ChatTelemetry.ActivitySource.StartActivity("chat.delivery.batch", ActivityKind.Consumer, parent,
                links: invocation is { } link ? [new ActivityLink(link)] : null)
            : ChatTelemetry.ActivitySource.StartActivity("chat.delivery.batch", ActivityKind.Consumer);
        span?.SetTag(ChatTelemetry.Attributes.Room, batch.Room);
        if (batch.Seq > 0) span?.SetTag(ChatTelemetry.Attributes.Seq, batch.Seq);
        span?.SetTag(ChatTelemetry.Attributes.Connections, batch.ConnectionIds.Count);

        var targets = batch.ConnectionIds.Distinct(StringComparer.Ordinal).Where(id => id != batch.ExceptConnectionId);
        var delivered = 0;
        var gone = new ConcurrentQueue<string>();
        var failed = new ConcurrentQueue<DeliveryFailure>();

        await Parallel.ForEachAsync(targets, new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrency, CancellationToken = cancellationToken },
            async (connectionId, token) =>
            {
                using var post = ChatTelemetry.ActivitySource.StartActivity("chat.deliver", ActivityKind.Producer);
                post?.SetTag(ChatTelemetry.Attributes.ConnectionId, connectionId);
                try
                {
                    if (await sender.SendAsync(connectionId, batch.Frame, token))
                    {
                        Interlocked.Increment(ref delivered);
                        MeasureDelivery(batch);
                        return;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    post?.SetStatus(ActivityStatusCode.Error, "post failed");
                    DeliveryLog.ConnectionFailed(logger, e, connectionId, batch.Room);
                    failed.Enqueue(new DeliveryFailure(connectionId, e.Message));
                    return;
                }

                post?.SetTag(ChatTelemetry.Attributes.Outcome, "gone");
                metrics.GoneConnections.Add(1);
                gone.Enqueue(connectionId);
                try
                {
                    await chat.DisconnectAsync(connectionId, token);
                }
                catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    // Still gone; the next delivery to the room finds it gone again and retries.
                    DeliveryLog.CleanupFailed(logger, e, connectionId, batch.Room);
                    failed.Enqueue(new DeliveryFailure(connectionId, $"gone, but removing it failed: {e.Message}"));
                }
            });

        if (!failed.IsEmpty)
        {
            metrics.DeliveryBatchFailures.Add(1);
            span?.SetStatus(ActivityStatusCode.Error, $"{failed.Count} connections failed");
        }
        DeliveryLog.Delivered(logger, batch.Room, delivered, gone.Count, failed.Count);
        return new DeliveryReport(delivered, [.. gone], [.. failed]);
    }

    private void MeasureDelivery(DeliveryBatch batch)
    {
        if (batch.Seq == 0) return; // presence and typing are not messages
        metrics.Deliveries.Add(1);
        if (batch.SentAt is { } sentAt) metrics.DeliveryLatency.Record((time.GetUtcNow() - sentAt).TotalMilliseconds);
    }
}
