using System.Diagnostics;

namespace ChatDemo.Web.Telemetry;

/// <summary>
/// AWS X-Ray's trace header (<c>_X_AMZN_TRACE_ID</c>, <c>Lambda-Runtime-Trace-Id</c>,
/// <c>X-Amzn-Trace-Id</c>) and its W3C equivalent. An X-Ray trace id
/// <c>1-{8 hex: epoch seconds}-{24 hex}</c> is the W3C trace id of its 32 hex digits; <c>Parent</c>
/// is the span id; <c>Sampled=1</c> is the W3C "recorded" flag. Other fields (<c>Lineage</c>,
/// <c>Self</c>) are kept out of the W3C context and dropped.
/// </summary>
public sealed record XRayTraceHeader(ActivityTraceId TraceId, ActivitySpanId? ParentId, bool? Sampled)
{
    private const string Version = "1";

    /// <summary>
    /// Null when <paramref name="header"/> carries no well-formed <c>Root</c>. A malformed
    /// <c>Parent</c> or <c>Sampled</c> is left unset rather than failing the whole header.
    /// </summary>
    public static XRayTraceHeader? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return null;
        ActivityTraceId? traceId = null;
        ActivitySpanId? parentId = null;
        bool? sampled = null;
        foreach (var field in header.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = field.IndexOf('=');
            if (equals <= 0) continue;
            var value = field[(equals + 1)..];
            switch (field[..equals])
            {
                case "Root":
                    traceId = ParseRoot(value);
                    break;
                case "Parent" when value.Length == 16 && IsHex(value) && value != "0000000000000000":
                    parentId = ActivitySpanId.CreateFromString(value.ToLowerInvariant());
                    break;
                case "Sampled" when value is "1" or "0":
                    sampled = value == "1";
                    break;
            }
        }
        return traceId is { } id ? new XRayTraceHeader(id, parentId, sampled) : null;
    }

    /// <summary>The W3C header form of the same trace; a header without a <c>Parent</c> has none (null).</summary>
    public ActivityContext? ToActivityContext() => ParentId is { } parent
        ? new ActivityContext(TraceId, parent, Sampled == true ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None, isRemote: true)
        : null;

    public static XRayTraceHeader FromActivityContext(ActivityContext context) =>
        new(context.TraceId, context.SpanId, (context.TraceFlags & ActivityTraceFlags.Recorded) != 0);

    /// <summary><c>Root=1-…-…;Parent=…;Sampled=…</c>: fields that are unset are left out.</summary>
    public override string ToString()
    {
        var hex = TraceId.ToHexString();
        var header = $"Root={Version}-{hex[..8]}-{hex[8..]}";
        if (ParentId is { } parent) header += $";Parent={parent.ToHexString()}";
        if (Sampled is { } sampled) header += sampled ? ";Sampled=1" : ";Sampled=0";
        return header;
    }

    private static ActivityTraceId? ParseRoot(string root)
    {
        // 1-5759e988-bd862e3fe1be46a994272793: version, 8 hex digits of epoch seconds, 24 random hex digits.
        var parts = root.Split('-');
        if (parts is not [Version, { Length: 8 } epoch, { Length: 24 } random] || !IsHex(epoch) || !IsHex(random)) return null;
        var hex = (epoch + random).ToLowerInvariant();
        return hex.All(c => c == '0') ? null : ActivityTraceId.CreateFromString(hex);
    }

    private static bool IsHex(string value) => value.All(char.IsAsciiHexDigit);
}
