using System.Diagnostics.Metrics;
using ChatDemo.Web.Lambda;
using ChatDemo.Web.Observability.EmbeddedMetrics;
using ChatDemo.Web.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ChatDemo.Web.Observability;

/// <summary>
/// Where ChatDemo's spans and measurements go: the only place that knows the OpenTelemetry SDK.
/// The chat core records through <see cref="ChatTelemetry"/> and <see cref="ChatMetrics"/> alone.
/// </summary>
public static class ObservabilityExtensions
{
    /// <summary>The service name exporters report (OTEL_SERVICE_NAME overrides it, as the SDK does).</summary>
    public const string ServiceName = "chatdemo";

    /// <summary>
    /// Logs (<see cref="LoggingSetup.AddChatLogging"/>), the instruments, and — unless
    /// <c>Chat:Telemetry:Enabled</c> is false — something listening to them: the OpenTelemetry SDK
    /// for OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set and for Prometheus's <c>/metrics</c>
    /// when <c>Chat:Telemetry:Prometheus</c> is true and this process serves HTTP itself (not in
    /// Lambda, where nothing would scrape a frozen sandbox), otherwise only
    /// <see cref="PropagationOnlyTracing"/>; and in Lambda the embedded metric format collector the
    /// adapter flushes once per invocation.
    /// </summary>
    public static WebApplicationBuilder AddChatObservability(this WebApplicationBuilder builder, bool inLambda)
    {
        var options = TelemetryOptions.Read(builder.Configuration);
        options.Prometheus &= !inLambda;
        builder.Services.AddSingleton(options);
        builder.AddChatLogging();
        builder.Services.AddSingleton<ChatMetrics>();
        if (inLambda)
        {
            var service = builder.Configuration["AWS_LAMBDA_FUNCTION_NAME"] is { Length: > 0 } function ? function : ChatTelemetry.Name;
            builder.Services.AddSingleton(services => new EmbeddedMetricsCollector(
                services.GetRequiredService<ChatMetrics>(), services.GetRequiredService<TimeProvider>(), service));
            builder.Services.AddSingleton(new EmbeddedMetricsOutput(Console.Out));
            builder.Services.AddSingleton<ILambdaInvocationObserver, InvocationTelemetryFlush>();
        }
        if (!options.Enabled) return builder;

        // Spans that go nowhere are not recorded: a room of 1,000 would cost 1,000 delivery spans
        // a message. Without a collector a listener keeps only the trace context, and the SDK is
        // built only for an exporter that needs it.
        if (!options.Otlp) builder.Services.AddHostedService<PropagationOnlyTracing>();
        if (options.Otlp || options.Prometheus) builder.AddOpenTelemetrySdk(options);
        return builder;
    }

    private static void AddOpenTelemetrySdk(this WebApplicationBuilder builder, TelemetryOptions options)
    {
        var telemetry = builder.Services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService(ServiceName));
        // With a collector, the standard OTEL_TRACES_SAMPLER decides. The host's request spans only
        // then: listening to them makes the host give every request an Activity, which a WebSocket
        // would keep for its whole life.
        if (options.Otlp)
            telemetry.WithTracing(tracing => tracing.AddSource(ChatTelemetry.Name).AddAspNetCoreInstrumentation().AddOtlpExporter());
        // Metrics only for OTLP or /metrics: aggregating measurements nobody reads would cost every
        // delivery its bookkeeping.
        telemetry.WithMetrics(metrics =>
        {
            metrics.AddMeter(ChatTelemetry.Name);
            // The SDK subscribes by meter name, process-wide; a second app in the same process
            // (the tests run many) would have its measurements exported here too. Only the
            // meter this app's own factory made is kept.
            ((IDeferredMeterProviderBuilder)metrics).Configure((services, builder) =>
            {
                var own = services.GetRequiredService<IMeterFactory>();
                builder.AddView(instrument => instrument.Meter.Name == ChatTelemetry.Name && !ReferenceEquals(instrument.Meter.Scope, own)
                    ? MetricStreamConfiguration.Drop
                    : null);
            });
            if (options.Otlp) metrics.AddOtlpExporter();
            if (options.Prometheus) metrics.AddPrometheusExporter();
        });
    }

    /// <summary><c>/metrics</c> in Prometheus text format, when <c>Chat:Telemetry:Prometheus</c> turned it on.</summary>
    public static WebApplication MapChatMetrics(this WebApplication app)
    {
        if (app.Services.GetRequiredService<TelemetryOptions>().Prometheus) app.MapPrometheusScrapingEndpoint();
        return app;
    }
}
