namespace ChatDemo.Bench.Report;

/// <summary>One server at one offered rate in the fan-out workload.</summary>
public sealed record StepResult(
    string Server,
    int OfferedRate,
    double SendSeconds,
    int Connections,
    long Sent,
    long? Acked,
    long Errors,
    long Expected,
    long Delivered,
    double DeliveredRatio,
    double DeliveriesPerSecond,
    double P50Ms,
    double P99Ms,
    double P999Ms,
    double MaxMs,
    double ServerCpuCores,
    double BenchCpuCores,
    int Reconnected,
    bool Sustainable);

/// <summary>
/// Server memory with idle connections open: RSS after a full GC before and after connecting, and
/// (when measured) RSS as it stood after the connections had idled for a while without a forced GC,
/// against the same starting point.
/// </summary>
public sealed record MemoryResult(string Server, int Connections, long ResidentBytesBefore, long ResidentBytesAfter, long BytesPerConnection,
    long? ResidentBytesIdle = null, long? BytesPerConnectionIdle = null, int IdleSeconds = 0);

public sealed record MachineInfo(string Cpu, int Cores, long MemoryBytes, string Os, string Runtime, string LoadAverageAtStart, string LoadAverageAtEnd);

public sealed record BenchReport(
    string Mode,
    DateTimeOffset StartedAt,
    double DurationSeconds,
    MachineInfo Machine,
    int RoomConnections,
    int Senders,
    int TextLength,
    IReadOnlyList<StepResult> FanOut,
    IReadOnlyList<MemoryResult> Memory,
    IReadOnlyDictionary<string, int> SustainableRate,
    IReadOnlyList<StepResult>? LargeRoom = null,
    string? Notes = null);
