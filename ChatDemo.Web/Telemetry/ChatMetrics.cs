using System.Diagnostics.Metrics;

namespace ChatDemo.Web.Telemetry;

/// <summary>
/// ChatDemo's instruments, on a <see cref="Meter"/> named <see cref="ChatTelemetry.Name"/> made by
/// the host's <see cref="IMeterFactory"/>, so that two apps in one process (the tests) keep
/// their measurements apart. docs/operations.md says what each means.
/// </summary>
public sealed class ChatMetrics
{
    /// <summary>Tag names; values are short fixed sets (error codes, store operations), never user data.</summary>
    public static class Tags
    {
        public const string Reason = "reason";
        public const string Operation = "operation";
    }

    public ChatMetrics(IMeterFactory meterFactory)
    {
        Meter = meterFactory.Create(ChatTelemetry.Name);
        ConnectionsOpen = Meter.CreateUpDownCounter<long>("chatdemo.connections.open", "{connection}",
            "WebSocket connections open: +1 on an accepted upgrade or $connect, -1 when it is gone.");
        MessagesAccepted = Meter.CreateCounter<long>("chatdemo.messages.accepted", "{message}",
            "Messages stored and acknowledged (resends answered as duplicates not counted).");
        Deliveries = Meter.CreateCounter<long>("chatdemo.deliveries", "{delivery}",
            "Message frames written to a receiving socket (Kestrel) or posted to a connection (AWS).");
        DeliveryLatency = Meter.CreateHistogram<double>("chatdemo.delivery.latency", "ms",
            "From a message's acceptance to its frame written to a receiver's socket or posted to its connection.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBucketsMs });
        FramesRefused = Meter.CreateCounter<long>("chatdemo.frames.refused", "{frame}",
            "Client frames answered with an error frame, by error code (reason).");
        RateLimited = Meter.CreateCounter<long>("chatdemo.rate_limited", "{frame}",
            "Frames that write (sends, edits, deletes, reactions) refused by the rate limit, kept per user and room (Kestrel).");
        SlowConsumersDropped = Meter.CreateCounter<long>("chatdemo.slow_consumers.dropped", "{connection}",
            "Connections closed (1008) because their unsent frames passed the queue limit.");
        StoreDuration = Meter.CreateHistogram<double>("chatdemo.store.duration", "ms",
            "One store call, by operation.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBucketsMs });
        GoneConnections = Meter.CreateCounter<long>("chatdemo.connections.gone", "{connection}",
            "Connections API Gateway answered 410 Gone for, removed and announced offline.");
        DeliveryBatchFailures = Meter.CreateCounter<long>("chatdemo.delivery.batch_failures", "{batch}",
            "Delivery batches from the workflow that failed (the workflow retries them, then records them).");
    }

    /// <summary>Milliseconds: fine below 10 ms (a local socket write), coarse up to 10 s (retries on AWS).</summary>
    public static readonly IReadOnlyList<double> LatencyBucketsMs =
        [0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

    public Meter Meter { get; }

    public UpDownCounter<long> ConnectionsOpen { get; }

    public Counter<long> MessagesAccepted { get; }

    public Counter<long> Deliveries { get; }

    public Histogram<double> DeliveryLatency { get; }

    public Counter<long> FramesRefused { get; }

    public Counter<long> RateLimited { get; }

    public Counter<long> SlowConsumersDropped { get; }

    public Histogram<double> StoreDuration { get; }

    public Counter<long> GoneConnections { get; }

    public Counter<long> DeliveryBatchFailures { get; }
}
