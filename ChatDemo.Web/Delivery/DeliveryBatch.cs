using System.Text;
using System.Text.Json;
using ChatDemo.Web.Lambda;

namespace ChatDemo.Web.Delivery;

/// <summary>
/// The workflow's direct-invocation payload (docs/aws-events.md):
/// <c>{"chatDemo":"deliver","room","frame":{…},"exceptConnectionId":null|"…","traceparent":null|"…","connectionIds":["…"]}</c>.
/// </summary>
/// <param name="Room">The room the frame belongs to (for logs).</param>
/// <param name="Frame">The frame as UTF-8 JSON, serialized once for the whole batch.</param>
/// <param name="ExceptConnectionId">A connection that must not receive it (the typist).</param>
/// <param name="ConnectionIds">The batch: one page of the room's connections.</param>
/// <param name="TraceParent">The W3C trace context of the span that published the event; null when none was recorded.</param>
/// <param name="Seq">The message's <c>seq</c> when the frame is a <c>message</c>; 0 otherwise.</param>
/// <param name="SentAt">The message's <c>sentAt</c> when the frame is a <c>message</c>: the delivery latency is measured from it.</param>
public sealed record DeliveryBatch(
    string Room,
    ReadOnlyMemory<byte> Frame,
    string? ExceptConnectionId,
    IReadOnlyList<string> ConnectionIds,
    string? TraceParent = null,
    long Seq = 0,
    DateTimeOffset? SentAt = null)
{
    /// <summary>The batch, or the reason the payload is not one.</summary>
    public static DeliveryBatch? TryParse(JsonElement payload, out string error)
    {
        error = "";
        if (payload.ValueKind != JsonValueKind.Object) return Fail("the payload must be a JSON object", out error);
        // The adapter routed the invocation here by this marker; checked again so the endpoint stands on its own.
        if (!payload.TryGetProperty(LambdaEvents.DirectInvocationMarker, out var marker) || marker.ValueKind != JsonValueKind.String
            || marker.GetString() != LambdaEvents.DirectInvocationDeliver)
            return Fail($"{LambdaEvents.DirectInvocationMarker} must be \"{LambdaEvents.DirectInvocationDeliver}\"", out error);
        if (!payload.TryGetProperty("room", out var room) || room.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(room.GetString()))
            return Fail("room must be a non-empty string", out error);
        if (!payload.TryGetProperty("frame", out var frame) || frame.ValueKind != JsonValueKind.Object)
            return Fail("frame must be the frame as a JSON object", out error);

        string? except = null;
        if (payload.TryGetProperty("exceptConnectionId", out var exceptValue))
        {
            if (exceptValue.ValueKind == JsonValueKind.String) except = exceptValue.GetString();
            else if (exceptValue.ValueKind != JsonValueKind.Null) return Fail("exceptConnectionId must be a string or null", out error);
        }

        string? traceParent = null;
        if (payload.TryGetProperty("traceparent", out var traceValue))
        {
            // Optional and never fatal: a malformed one only means the delivery starts a new trace.
            if (traceValue.ValueKind == JsonValueKind.String) traceParent = traceValue.GetString();
            else if (traceValue.ValueKind != JsonValueKind.Null) return Fail("traceparent must be a string or null", out error);
        }

        if (!payload.TryGetProperty("connectionIds", out var ids) || ids.ValueKind != JsonValueKind.Array)
            return Fail("connectionIds must be an array of connection ids", out error);
        var connectionIds = new List<string>(ids.GetArrayLength());
        foreach (var id in ids.EnumerateArray())
        {
            if (id.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(id.GetString()))
                return Fail("every connectionIds entry must be a non-empty string", out error);
            connectionIds.Add(id.GetString()!);
        }

        var isMessage = frame.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "message";
        var seq = isMessage && frame.TryGetProperty("seq", out var seqValue) && seqValue.TryGetInt64(out var s) ? s : 0;
        DateTimeOffset? sentAt = isMessage && frame.TryGetProperty("sentAt", out var sentValue) && sentValue.ValueKind == JsonValueKind.String
            && sentValue.TryGetDateTimeOffset(out var sent) ? sent : null;
        return new DeliveryBatch(room.GetString()!, Encoding.UTF8.GetBytes(frame.GetRawText()), except, connectionIds, traceParent, seq, sentAt);
    }

    private static DeliveryBatch? Fail(string message, out string error)
    {
        error = message;
        return null;
    }
}

/// <summary>What became of each connection of a batch.</summary>
/// <param name="Delivered">How many connections were posted the frame.</param>
/// <param name="Gone">Connections that answered 410; they were removed (and their user announced offline when it was their last).</param>
/// <param name="Failed">Connections whose post failed otherwise; the rest of the batch is unaffected.</param>
public sealed record DeliveryReport(int Delivered, IReadOnlyList<string> Gone, IReadOnlyList<DeliveryFailure> Failed);

public sealed record DeliveryFailure(string ConnectionId, string Error);
