using ChatDemo.Bench.Clients;
using ChatDemo.Bench.Report;
using ChatDemo.Bench.Servers;

namespace ChatDemo.Bench.Load;

/// <summary>
/// Server memory per idle connection: RSS after a full GC with a warmed-up server, then again
/// after opening more idle connections in the room; the difference divided by the connections added.
/// With <c>idle</c> set, RSS is also read after the connections have idled that long with no GC
/// forced (what an operator sees), before the forced one.
/// </summary>
public static class IdleMemoryWorkload
{
    public const int IdleReceiveBufferBytes = 1024;

    public static async Task<MemoryResult> MeasureAsync(ServerProcess server, IBenchTarget target, RoomLoad load, int connectionsBefore, int connectionsAfter, int senders,
        CancellationToken cancellationToken, TimeSpan idle = default)
    {
        var before = await SettledResidentBytesAsync(server);
        await load.ConnectAsync(connectionsAfter, senders, IdleReceiveBufferBytes, cancellationToken);
        var added = Math.Max(1, connectionsAfter - connectionsBefore);
        long? asItStands = null;
        if (idle > TimeSpan.Zero)
        {
            await Task.Delay(idle, cancellationToken);
            asItStands = server.ResidentBytes();
        }
        var after = await SettledResidentBytesAsync(server);
        var perConnection = (after - before) / added;
        var perConnectionIdle = (asItStands - before) / added;
        Console.WriteLine($"  {target.Name,-8} idle memory {connectionsBefore,6:N0} → {connectionsAfter,6:N0} connections: {perConnection,7:N0} bytes per connection after a full GC" +
                          (perConnectionIdle is { } idleBytes ? $", {idleBytes:N0} after {idle.TotalSeconds:N0} s idle without one" : ""));
        return new MemoryResult(target.Name, connectionsAfter, before, after, perConnection, asItStands, perConnectionIdle, (int)idle.TotalSeconds);
    }

    private static async Task<long> SettledResidentBytesAsync(ServerProcess server)
    {
        await Task.Delay(TimeSpan.FromSeconds(1));
        await server.InduceFullGcAsync();
        await Task.Delay(TimeSpan.FromSeconds(0.5));
        return server.ResidentBytes();
    }
}
