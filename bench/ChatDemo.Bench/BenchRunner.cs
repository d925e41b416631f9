using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using ChatDemo.Bench.Clients;
using ChatDemo.Bench.Load;
using ChatDemo.Bench.Report;
using ChatDemo.Bench.Servers;

namespace ChatDemo.Bench;

/// <summary>One benchmark run: fan-out and idle memory for each server in turn, then the report.</summary>
public static class BenchRunner
{
    private static readonly BenchSettings Quick = new("quick", [50, 100, 200, 300, 500], StepSeconds: 3, DrainSeconds: 3,
        RoomConnections: 1000, Senders: 10, IdleConnectionCounts: []);

    private static readonly BenchSettings Full = new("full", [50, 100, 200, 300, 400, 500, 700, 1000, 1500, 2000], StepSeconds: 5, DrainSeconds: 5,
        RoomConnections: 1000, Senders: 10, IdleConnectionCounts: [1000, 10000], IdleSeconds: 30, LargeRoomRate: 10, LargeIdleConnections: 50_000);

    // Loopback connections per source address (about 28,000 ephemeral ports each), with room to spare.
    private const int ConnectionsPerSourceAddress = 20_000;

    public static async Task<int> RunAsync(string[] args)
    {
        var settings = args.Contains("--quick") ? Quick : Full;
        var servers = Option(args, "--servers")?.Split(',') ?? ServerLauncher.All;
        if (Option(args, "--rates") is { } rates) settings = settings with { Rates = rates.Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray() };
        if (Option(args, "--connections") is { } connections) settings = settings with { RoomConnections = int.Parse(connections, CultureInfo.InvariantCulture) };
        if (Option(args, "--large-idle") is { } largeIdleOption) settings = settings with { LargeIdleConnections = int.Parse(largeIdleOption, CultureInfo.InvariantCulture) };
        var memoryOnly = args.Contains("--memory-only");
        ServerLauncher.ChatDemoDllOverride = Option(args, "--chatdemo-dll");
        ServerLauncher.BaselineDll = Option(args, "--baseline-dll");
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i] != "--chatdemo-setting") continue;
            var (key, value) = args[i + 1].Split('=', 2) is [var k, var v] ? (k, v) : throw new ArgumentException($"--chatdemo-setting takes KEY=VALUE, not {args[i + 1]}");
            ServerLauncher.ChatDemoSettings[key] = value;
        }
        var outDir = Option(args, "--out") ?? Path.Combine(RepositoryRoot(), settings.Mode == "full" ? "docs/benchmarks" : "artifacts/bench");
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        var ct = cancellation.Token;

        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var loadAtStart = LoadAverage();
        Console.WriteLine($"ChatDemo bench ({settings.Mode}): {settings.RoomConnections:N0} connections in one room, {settings.Senders} senders, " +
                          $"{Payload.TextLength}-character texts; load average {loadAtStart}");

        var fanOut = new List<Report.StepResult>();
        var memory = new List<MemoryResult>();
        foreach (var name in memoryOnly ? [] : servers)
        {
            Console.WriteLine($"fan-out: {name}");
            var (server, target) = await ServerLauncher.StartAsync(name, ct);
            await using (server)
            {
                var stats = new DeliveryStats();
                await using var load = new RoomLoad(target, stats);
                // Warm up (JIT, pools) with a small room, then count what the rest of the room costs at rest.
                var warm = await WarmUpAsync(settings, server, target, load, stats, FanOutWorkload.ReceiveBufferBytes, ct);
                memory.Add(await IdleMemoryWorkload.MeasureAsync(server, target, load, warm, settings.RoomConnections, settings.Senders, ct));
                fanOut.AddRange(await new FanOutWorkload(settings).RunAsync(server, target, load, stats, ct));
                if (args.Contains("--verbose")) Console.WriteLine(server.Output);
            }
        }

        // Each server may hold as many sockets as this process may: the bench opens one per connection too.
        var largeIdle = Math.Min(settings.LargeIdleConnections, OpenFileLimit() - 2_000);
        var notes = settings.LargeIdleConnections > largeIdle
            ? $"{settings.LargeIdleConnections:N0} idle connections were asked for; this machine allows a process {OpenFileLimit():N0} open files, so the largest step holds {largeIdle:N0}."
            : null;
        if (notes is not null) Console.WriteLine(notes);
        var largeRoom = new List<Report.StepResult>();
        foreach (var name in settings.IdleConnectionCounts.Length > 0 ? servers : [])
        {
            Console.WriteLine($"idle memory: {name}");
            var (server, target) = await ServerLauncher.StartAsync(name, ct);
            await using (server)
            {
                var stats = new DeliveryStats();
                await using var load = new RoomLoad(target, stats);
                var previous = await WarmUpAsync(settings, server, target, load, stats, IdleMemoryWorkload.IdleReceiveBufferBytes, ct);
                foreach (var step in settings.IdleConnectionCounts.Order())
                {
                    memory.Add(await IdleMemoryWorkload.MeasureAsync(server, target, load, previous, step, settings.Senders, ct, TimeSpan.FromSeconds(settings.IdleSeconds)));
                    previous = step;
                }

                if (largeIdle > previous)
                {
                    LeanSocket.SourceAddresses = (largeIdle + ConnectionsPerSourceAddress - 1) / ConnectionsPerSourceAddress;
                    memory.Add(await IdleMemoryWorkload.MeasureAsync(server, target, load, previous, largeIdle, settings.Senders, ct, TimeSpan.FromSeconds(settings.IdleSeconds)));
                    LeanSocket.SourceAddresses = 1;
                }
            }

            // A room as large as the largest idle step below the cap, receiving a steady trickle:
            // delivery latency at scale. A fresh server, so that the idle steps measure memory
            // from a heap that no load has grown.
            if (settings.LargeRoomRate > 0)
            {
                var roomSize = settings.IdleConnectionCounts.Max();
                Console.WriteLine($"large room: {name}, {roomSize:N0} connections, {settings.LargeRoomRate} msg/s");
                var (roomServer, roomTarget) = await ServerLauncher.StartAsync(name, ct);
                await using (roomServer)
                {
                    var stats = new DeliveryStats();
                    await using var load = new RoomLoad(roomTarget, stats);
                    await load.ConnectAsync(roomSize, settings.Senders, IdleMemoryWorkload.IdleReceiveBufferBytes, ct);
                    largeRoom.AddRange(await new FanOutWorkload(settings with { Mode = "large room", Rates = [settings.LargeRoomRate] }).RunAsync(roomServer, roomTarget, load, stats, ct));
                }
            }
        }

        var sustainable = servers.ToDictionary(s => s, s => fanOut.Where(r => r.Server == s && r.Sustainable).Select(r => r.OfferedRate).DefaultIfEmpty(0).Max());
        var report = new BenchReport(settings.Mode, started, Math.Round(clock.Elapsed.TotalSeconds), Machine(loadAtStart),
            settings.RoomConnections, settings.Senders, Payload.TextLength, fanOut, memory, sustainable, largeRoom, notes);

        Directory.CreateDirectory(outDir);
        await File.WriteAllTextAsync(Path.Combine(outDir, "results.json"),
            JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }), ct);
        await File.WriteAllTextAsync(Path.Combine(outDir, "latency.svg"), LatencyChart.Render(report), ct);
        await File.WriteAllTextAsync(Path.Combine(outDir, "results.md"), ResultsTable.Render(report), ct);
        Console.WriteLine($"wrote {Path.Combine(outDir, "results.json")}, latency.svg and results.md ({clock.Elapsed.TotalSeconds:N0} s)");

        Console.WriteLine(ResultsTable.Summary(report));
        return 0;
    }

    /// <summary>A small room (three connections per sender) and a second of traffic: JIT and pools warm. Returns the room's size.</summary>
    private static async Task<int> WarmUpAsync(BenchSettings settings, ServerProcess server, IBenchTarget target, RoomLoad load, DeliveryStats stats, int receiveBufferBytes, CancellationToken ct)
    {
        var warm = settings.Senders * 3;
        await load.ConnectAsync(warm, settings.Senders, receiveBufferBytes, ct);
        await new FanOutWorkload(settings with { Mode = "warm-up", Rates = [50], StepSeconds = 1, DrainSeconds = 2 }).RunAsync(server, target, load, stats, ct);
        return warm;
    }

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props"))) return dir.FullName;
        }
        return Directory.GetCurrentDirectory();
    }

    /// <summary>This process's soft limit on open files (each connection is a socket on both sides).</summary>
    private static int OpenFileLimit()
    {
        var line = File.Exists("/proc/self/limits") ? File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal)) : null;
        var soft = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3];
        return soft is not null && int.TryParse(soft, CultureInfo.InvariantCulture, out var limit) ? limit : int.MaxValue;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static MachineInfo Machine(string loadAtStart)
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown"
            : "unknown";
        var memory = File.Exists("/proc/meminfo")
            ? long.Parse(File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024
            : 0;
        return new MachineInfo(cpu, Environment.ProcessorCount, memory, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, loadAtStart, LoadAverage());
    }
}
