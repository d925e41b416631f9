using System.Globalization;
using ChatDemo.Bench.Load;
using ChatDemo.Bench.Servers;

namespace ChatDemo.Bench;

/// <summary>
/// <c>profile SERVER --connections N [--rate R] [--seconds S] [--chatdemo-dll PATH]</c>: starts one server, opens N connections in
/// the room, optionally drives R msg/s, and holds for S seconds while printing the server's pid, so
/// that dotnet-gcdump / dotnet-counters / dotnet-trace can be pointed at it; ends with the
/// server's last lines of output (what it logged about drops and errors under the load).
/// </summary>
public static class ProfileHarness
{
    public static async Task<int> RunAsync(string name, string[] args)
    {
        int Int(string option, int fallback) => Array.IndexOf(args, option) is var at and >= 0 && at + 1 < args.Length
            ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
        var connections = Int("--connections", 1000);
        var rate = Int("--rate", 0);
        var seconds = Int("--seconds", 60);
        if (Array.IndexOf(args, "--chatdemo-dll") is var dll and >= 0 && dll + 1 < args.Length) ServerLauncher.ChatDemoDllOverride = args[dll + 1];

        var (server, target) = await ServerLauncher.StartAsync(name, CancellationToken.None);
        await using (server)
        {
            var stats = new DeliveryStats();
            await using var load = new RoomLoad(target, stats);
            await load.ConnectAsync(connections, 10, FanOutWorkload.ReceiveBufferBytes, CancellationToken.None);
            Console.WriteLine($"{name} pid {server.Pid} port {server.Port}: {load.OpenConnections} connections open");
            var settings = new BenchSettings("profile", [rate], seconds, 3, connections, 10, []);
            if (rate > 0) await new FanOutWorkload(settings).RunAsync(server, target, load, stats, CancellationToken.None);
            else await Task.Delay(TimeSpan.FromSeconds(seconds));
            Console.WriteLine($"{name}'s last lines of output:\n{server.Output}");
        }
        return 0;
    }
}
