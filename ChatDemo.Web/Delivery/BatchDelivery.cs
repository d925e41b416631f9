using System.Collections.Concurrent;
using ChatDemo.Web.Chat;

namespace ChatDemo.Web.Delivery;

/// <summary>
/// Posts one frame to a batch of connections, concurrently but bounded. A connection that is
/// gone is disconnected through <see cref="ChatService"/> (store, presence), one that fails is
/// reported; neither affects the others.
/// </summary>
public sealed class BatchDelivery(IConnectionSender sender, ChatService chat, ILogger<BatchDelivery> logger)
{
    /// <summary>Posts in flight at once for one batch.</summary>
    public const int MaxConcurrency = 16;

    public async Task<DeliveryReport> DeliverAsync(DeliveryBatch batch, CancellationToken cancellationToken)
    {
        var targets = batch.ConnectionIds.Distinct(StringComparer.Ordinal).Where(id => id != batch.ExceptConnectionId);
        var delivered = 0;
        var gone = new ConcurrentQueue<string>();
        var failed = new ConcurrentQueue<DeliveryFailure>();

        await Parallel.ForEachAsync(targets, new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrency, CancellationToken = cancellationToken },
            async (connectionId, token) =>
            {
                try
                {
                    if (await sender.SendAsync(connectionId, batch.Frame, token))
                    {
                        Interlocked.Increment(ref delivered);
                        return;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    DeliveryLog.ConnectionFailed(logger, e, connectionId, batch.Room);
                    failed.Enqueue(new DeliveryFailure(connectionId, e.Message));
                    return;
                }

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

        DeliveryLog.Delivered(logger, batch.Room, delivered, gone.Count, failed.Count);
        return new DeliveryReport(delivered, [.. gone], [.. failed]);
    }
}
