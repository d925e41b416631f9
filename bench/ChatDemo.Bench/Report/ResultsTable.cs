using System.Globalization;
using System.Text;

namespace ChatDemo.Bench.Report;

/// <summary>The Markdown tables of a run and the closing summary lines.</summary>
public static class ResultsTable
{
    public static string Render(BenchReport report)
    {
        var md = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        md.AppendLine(c, $"Run `{report.Mode}` started {report.StartedAt:yyyy-MM-dd HH:mm} UTC, {report.DurationSeconds:N0} s; {report.Machine.Cpu}, " +
                         $"{report.Machine.Cores} cores, {report.Machine.MemoryBytes / (1024 * 1024 * 1024.0):N0} GiB, {report.Machine.Os}, {report.Machine.Runtime}; " +
                         $"load average {report.Machine.LoadAverageAtStart} at start, {report.Machine.LoadAverageAtEnd} at end.");
        md.AppendLine();
        md.AppendLine(c, $"Fan-out: {report.RoomConnections:N0} connections in one room ({report.Senders} of them sending), {report.TextLength}-character texts.");
        md.AppendLine();
        md.AppendLine("| server | offered msg/s | deliveries/s | delivered | p50 ms | p99 ms | p99.9 ms | server CPU (cores) | bench CPU (cores) | sustainable |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in report.FanOut)
        {
            md.AppendLine(c, $"| {r.Server} | {r.OfferedRate} | {r.DeliveriesPerSecond:N0} | {r.DeliveredRatio:P2} | {Ms(r.P50Ms)} | {Ms(r.P99Ms)} | {Ms(r.P999Ms)} | " +
                             $"{r.ServerCpuCores:N2} | {r.BenchCpuCores:N2} | {(r.Sustainable ? "yes" : "no")} |");
        }
        md.AppendLine();
        md.AppendLine("| server | highest sustainable rate (msg/s) |");
        md.AppendLine("|---|---:|");
        foreach (var (server, rate) in report.SustainableRate) md.AppendLine(c, $"| {server} | {rate} |");
        md.AppendLine();
        md.AppendLine("| server | idle connections | RSS before | RSS after | bytes per idle connection | RSS after idling, no forced GC | bytes per idle connection, no forced GC |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var m in report.Memory)
        {
            var idle = m.ResidentBytesIdle is { } rss ? $"{rss / 1048576.0:N1} MiB after {m.IdleSeconds} s" : "–";
            md.AppendLine(c, $"| {m.Server} | {m.Connections:N0} | {m.ResidentBytesBefore / 1048576.0:N1} MiB | {m.ResidentBytesAfter / 1048576.0:N1} MiB | {m.BytesPerConnection:N0} | {idle} | {m.BytesPerConnectionIdle?.ToString("N0", c) ?? "–"} |");
        }
        if (report.LargeRoom is { Count: > 0 } room)
        {
            md.AppendLine();
            md.AppendLine("Large room: the connections of the 10,000 idle step in one room, receiving a steady rate.");
            md.AppendLine();
            md.AppendLine("| server | connections | offered msg/s | deliveries/s | delivered | p50 ms | p99 ms | p99.9 ms | server CPU (cores) |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var r in room)
                md.AppendLine(c, $"| {r.Server} | {r.Connections:N0} | {r.OfferedRate} | {r.DeliveriesPerSecond:N0} | {r.DeliveredRatio:P2} | {Ms(r.P50Ms)} | {Ms(r.P99Ms)} | {Ms(r.P999Ms)} | {r.ServerCpuCores:N2} |");
        }
        if (report.Notes is { } notes)
        {
            md.AppendLine();
            md.AppendLine(notes);
        }
        return md.ToString();
    }

    /// <summary>The closing lines <c>--quick</c> promises (and every run prints).</summary>
    public static string Summary(BenchReport report)
    {
        var rate = report.SustainableRate;
        double P99At100(string server) => report.FanOut.FirstOrDefault(r => r.Server == server && r.OfferedRate == 100)?.P99Ms ?? double.NaN;
        var bytes = report.Memory.Where(m => m.Server == "chatdemo").MaxBy(m => m.Connections)?.BytesPerConnection ?? 0;
        return string.Join('\n',
            string.Create(CultureInfo.InvariantCulture, $"ratio sustainable rate chatdemo/signalr: {Ratio(rate.GetValueOrDefault("chatdemo"), rate.GetValueOrDefault("signalr")):F2}"),
            string.Create(CultureInfo.InvariantCulture, $"ratio sustainable rate chatdemo/raw: {Ratio(rate.GetValueOrDefault("chatdemo"), rate.GetValueOrDefault("raw")):F2}"),
            string.Create(CultureInfo.InvariantCulture, $"ratio p99 latency at 100 msg/s chatdemo/signalr: {Ratio(P99At100("chatdemo"), P99At100("signalr")):F2}"),
            string.Create(CultureInfo.InvariantCulture, $"bytes per idle connection chatdemo: {bytes}"));
    }

    private static double Ratio(double a, double b) => b > 0 && a >= 0 ? a / b : 0;

    private static string Ms(double ms) => ms < 0 ? "–" : ms.ToString(ms < 10 ? "N2" : "N1", CultureInfo.InvariantCulture);
}
