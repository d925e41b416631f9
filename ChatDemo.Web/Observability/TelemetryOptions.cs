namespace ChatDemo.Web.Observability;

/// <summary>
/// The <c>Chat:Telemetry</c> settings (README.md, "Configuration"). Read once by the composition
/// root, because they decide which services and endpoints exist. OTLP export needs no setting of
/// ours: the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> turns it on.
/// </summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Chat:Telemetry";

    /// <summary>The standard OpenTelemetry variable naming a collector; unset, nothing is exported over OTLP.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The OpenTelemetry SDK's tracing and metrics; false leaves every span and measurement unobserved.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary><c>/metrics</c> in Prometheus text format (Kestrel mode only; off by default: it is not authenticated).</summary>
    public bool Prometheus { get; set; }

    /// <summary>Whether OTLP export is configured (<see cref="OtlpEndpointVariable"/> set).</summary>
    public bool Otlp { get; set; }

    /// <summary>A bad value stops the app at start naming the setting (the configuration binder's message).</summary>
    public static TelemetryOptions Read(IConfiguration configuration)
    {
        var options = configuration.GetSection(SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        options.Otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]);
        return options;
    }
}
