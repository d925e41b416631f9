using System.Diagnostics;

namespace ChatDemo.Web.Telemetry;

/// <summary>
/// The names ChatDemo's traces and metrics are published under, and the span attributes it sets.
/// Only <c>System.Diagnostics</c> here: the chat core starts spans and records measurements
/// without knowing whether anything listens; the OpenTelemetry SDK, when the host adds it,
/// subscribes to these names (Observability/).
/// </summary>
public static class ChatTelemetry
{
    /// <summary>The <see cref="ActivitySource"/> and <see cref="System.Diagnostics.Metrics.Meter"/> name.</summary>
    public const string Name = "ChatDemo";

    /// <summary>Every ChatDemo span starts here; with no listener, StartActivity returns null and costs next to nothing.</summary>
    public static readonly ActivitySource ActivitySource = new(Name, typeof(ChatTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>
    /// Span attribute names. Rooms, sequence numbers, counts and outcomes only: never a token, a
    /// session, a user's name or a message's text.
    /// </summary>
    public static class Attributes
    {
        public const string Room = "chat.room";
        public const string Seq = "chat.seq";
        public const string FrameType = "chat.frame.type";
        public const string EventKind = "chat.event.kind";
        public const string Outcome = "chat.outcome";
        public const string Connections = "chat.connections";
        public const string Operation = "chat.store.operation";
        public const string ConnectionId = "chat.connection.id";
    }

    /// <summary><c>chat.frame {type}</c>: one client frame handled, from parsing to the reply.</summary>
    public static Activity? StartFrameSpan(string frameType, string connectionId, string room)
    {
        var span = ActivitySource.StartActivity($"chat.frame {frameType}", ActivityKind.Server);
        if (span is null) return null;
        span.SetTag(Attributes.FrameType, frameType);
        span.SetTag(Attributes.ConnectionId, connectionId);
        span.SetTag(Attributes.Room, room);
        return span;
    }

    /// <summary><c>chat.connect</c> / <c>chat.disconnect</c>: a connection recorded or forgotten, presence included.</summary>
    public static Activity? StartConnectionSpan(string name, string connectionId, string? room)
    {
        var span = ActivitySource.StartActivity(name);
        span?.SetTag(Attributes.ConnectionId, connectionId);
        if (room is not null) span?.SetTag(Attributes.Room, room);
        return span;
    }

    /// <summary>A span continuing a trace carried as data (a room event, a delivery batch); a new trace when there is none.</summary>
    public static Activity? StartContinuation(string name, ActivityKind kind, ActivityContext parent, string room, long seq)
    {
        var span = parent == default
            ? ActivitySource.StartActivity(name, kind)
            : ActivitySource.StartActivity(name, kind, parent);
        if (span is null) return null;
        span.SetTag(Attributes.Room, room);
        if (seq > 0) span.SetTag(Attributes.Seq, seq);
        return span;
    }
}
