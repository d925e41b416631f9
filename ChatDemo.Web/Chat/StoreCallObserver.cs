using System.Diagnostics;
using ChatDemo.Web.Telemetry;

namespace ChatDemo.Web.Chat;

/// <summary>
/// Observes one store call, whichever port and engine: a <c>store {operation}</c> span and a
/// <c>chatdemo.store.duration</c> measurement tagged with the operation.
/// </summary>
public sealed class StoreCallObserver(ChatMetrics metrics, TimeProvider time)
{
    public async Task<T> ObserveAsync<T>(string operation, string? room, Func<Task<T>> call)
    {
        using var span = ChatTelemetry.ActivitySource.StartActivity($"store {operation}", ActivityKind.Client);
        span?.SetTag(ChatTelemetry.Attributes.Operation, operation);
        if (room is not null) span?.SetTag(ChatTelemetry.Attributes.Room, room);
        var started = time.GetTimestamp();
        try
        {
            return await call();
        }
        catch (Exception e)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
        finally
        {
            metrics.StoreDuration.Record(time.GetElapsedTime(started).TotalMilliseconds,
                new KeyValuePair<string, object?>(ChatMetrics.Tags.Operation, operation));
        }
    }
}
