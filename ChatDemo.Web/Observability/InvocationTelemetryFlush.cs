using ChatDemo.Web.Lambda;
using ChatDemo.Web.Observability.EmbeddedMetrics;
using ChatDemo.Web.Telemetry;
using OpenTelemetry.Trace;

namespace ChatDemo.Web.Observability;

/// <summary>
/// Inside Lambda, once per invocation and before its result is posted: the invocation's metrics
/// as embedded-metric-format lines on stdout (CloudWatch Logs extracts them), and — when an OTLP
/// collector is configured — its spans pushed out, since a frozen sandbox exports nothing.
/// </summary>
public sealed class InvocationTelemetryFlush(
    EmbeddedMetricsCollector metrics,
    EmbeddedMetricsOutput output,
    TelemetryOptions options,
    IServiceProvider services) : ILambdaInvocationObserver
{
    private static readonly TimeSpan SpanFlushTimeout = TimeSpan.FromSeconds(2);

    public void BeforeResult(LambdaInvocation invocation)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal) { ["requestId"] = invocation.RequestId };
        if (XRayTraceHeader.Parse(invocation.TraceId) is { } xray) properties["xrayTraceId"] = xray.TraceId.ToHexString();
        metrics.Flush(output.Writer, properties);
        if (options.Enabled && options.Otlp)
            services.GetService<TracerProvider>()?.ForceFlush((int)SpanFlushTimeout.TotalMilliseconds);
    }
}

/// <summary>Where the embedded-metric-format lines go: stdout, which Lambda sends to CloudWatch Logs.</summary>
public sealed class EmbeddedMetricsOutput(TextWriter writer)
{
    public TextWriter Writer { get; } = writer;
}
