using System.Diagnostics;
using ChatDemo.Web.Telemetry;

namespace ChatDemo.Web.Observability;

/// <summary>
/// Tracing without a collector: ChatDemo's spans still carry the trace context (a log line's
/// <c>TraceId</c>, the <c>traceparent</c> a room event passes on, the X-Ray trace a Lambda
/// invocation continues) but nothing is recorded. This is the sampling the OpenTelemetry SDK does
/// with its always-off sampler — a root span, or one continuing a remote parent, is created for its
/// ids alone; a child of a local span is not created at all — without building the SDK, which costs
/// a cold start ~20 ms of CPU for spans that go nowhere (docs/benchmarks.md, "Sixth round: cold start").
/// </summary>
internal sealed class PropagationOnlyTracing : IHostedService, IDisposable
{
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = source => source.Name == ChatTelemetry.Name,
        Sample = static (ref ActivityCreationOptions<ActivityContext> options) =>
            options.Parent.TraceId == default || options.Parent.IsRemote ? ActivitySamplingResult.PropagationData : ActivitySamplingResult.None,
    };

    public Task StartAsync(CancellationToken cancellationToken)
    {
        ActivitySource.AddActivityListener(_listener);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // The listener is process-wide; it stops listening when the app's services are disposed.
    public void Dispose() => _listener.Dispose();
}
