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

/// <summary>Server memory with idle connections open (RSS after a full GC, before and after connecting).</summary>
public sealed record MemoryResult(string Server, int Connections, long ResidentBytesBefore, long ResidentBytesAfter, long BytesPerConnection);

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
    IReadOnlyDictionary<string, int> SustainableRate);
