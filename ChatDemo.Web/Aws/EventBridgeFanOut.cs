using System.Buffers;
using System.Text;
using System.Text.Json;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Configuration;
using ChatDemo.Web.Telemetry;
using Microsoft.Extensions.Options;

namespace ChatDemo.Web.Aws;

/// <summary>
/// AWS mode's fan-out: each room event is put once on the bus (docs/aws-events.md); a rule starts
/// the delivery workflow, which brings it to the room's connections. The call completes before
/// the invocation that caused the event returns, as Lambda freezes the process after it.
/// </summary>
public sealed class EventBridgeFanOut(EventBridgeClient client, IOptions<ChatOptions> options) : IRoomFanOut
{
    public const string Source = "chatdemo";
    public const string DetailType = "chatdemo.room-event";

    public async ValueTask PublishAsync(RoomEvent roomEvent, CancellationToken cancellationToken)
    {
        var entry = new EventEntry(Source, DetailType, WriteDetail(roomEvent), options.Value.EventBridge.BusName);
        await client.PutEventsAsync([entry], cancellationToken);
    }

    /// <summary>
    /// <c>{"room","kind","frame":{…},"exceptConnectionId","traceparent"}</c>: the frame is embedded
    /// as JSON, not as a string. <c>traceparent</c> (W3C, or null when nothing is traced) is the
    /// publishing span's, carried through the workflow so that every delivery joins its trace.
    /// </summary>
    public static string WriteDetail(RoomEvent roomEvent)
    {
        var buffer = new ArrayBufferWriter<byte>(roomEvent.Frame.Length + 128);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("room", roomEvent.Room);
            w.WriteString("kind", KindName(roomEvent.Kind));
            w.WritePropertyName("frame");
            w.WriteRawValue(roomEvent.Frame.Span);
            if (roomEvent.ExceptConnectionId is null) w.WriteNull("exceptConnectionId");
            else w.WriteString("exceptConnectionId", roomEvent.ExceptConnectionId);
            // Always present, so that the workflow's paths to it never fail.
            if ((roomEvent.Trace == default ? TraceParent.OfCurrent() : TraceParent.Format(roomEvent.Trace)) is { } traceParent)
                w.WriteString("traceparent", traceParent);
            else w.WriteNull("traceparent");
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string KindName(RoomEventKind kind) => kind switch
    {
        RoomEventKind.Message => "message",
        RoomEventKind.Presence => "presence",
        RoomEventKind.Typing => "typing",
        RoomEventKind.MessageUpdated => "messageUpdated",
        RoomEventKind.Member => "member",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown room event kind"),
    };
}
