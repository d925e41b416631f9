using System.Diagnostics;

namespace ChatDemo.Web.Telemetry;

/// <summary>
/// A W3C <c>traceparent</c> (version 00) as a plain string, for carrying a trace across hops that
/// are not HTTP requests of ours: the EventBridge event's detail and the workflow's input.
/// </summary>
public static class TraceParent
{
    /// <summary>The current span's <c>traceparent</c>, or null when no span is being recorded here.</summary>
    public static string? OfCurrent() => Activity.Current is { } activity ? Format(activity.Context) : null;

    public static string? Format(ActivityContext context) =>
        context.TraceId == default || context.SpanId == default
            ? null
            : $"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{((context.TraceFlags & ActivityTraceFlags.Recorded) != 0 ? "01" : "00")}";

    /// <summary>The remote parent a received <c>traceparent</c> names; null when absent or malformed (a new trace starts).</summary>
    public static ActivityContext? Parse(string? traceParent) =>
        !string.IsNullOrEmpty(traceParent) && ActivityContext.TryParse(traceParent, traceState: null, isRemote: true, out var context)
            ? context
            : null;
}
