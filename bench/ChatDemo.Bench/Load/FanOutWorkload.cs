using System.Diagnostics;
using ChatDemo.Bench.Clients;
using ChatDemo.Bench.Report;
using ChatDemo.Bench.Servers;

namespace ChatDemo.Bench.Load;

/// <summary>
/// Fan-out in one room: senders at a fixed offered rate (open loop, each message stamped with its
/// scheduled send time), every connection of the room receiving every message.
/// </summary>
public sealed class FanOutWorkload(BenchSettings settings)
{
    public const int ReceiveBufferBytes = 1024;
    // Unique across the run: clientMessageIds embed it, and ChatDemo rightly answers a reused one as a duplicate.
    private static int s_step;

    /// <summary>Runs the offered rates in ascending order until the server stops keeping up.</summary>
    public async Task<List<StepResult>> RunAsync(ServerProcess server, IBenchTarget target, RoomLoad load, DeliveryStats stats, CancellationToken cancellationToken)
    {
        var results = new List<StepResult>();
        var failures = 0;
        foreach (var rate in settings.Rates)
        {
            var reconnected = await load.ReconnectDroppedAsync(ReceiveBufferBytes, cancellationToken);
            var result = await RunStepAsync(server, target, load, stats, rate, reconnected, cancellationToken);
            results.Add(result);
            Console.WriteLine(
                $"  {(settings.Mode == "warm-up" ? "(warm-up) " : "")}{result.Server,-8} {rate,5} msg/s: {result.DeliveriesPerSecond,9:N0} deliveries/s, {result.DeliveredRatio,7:P2} delivered, " +
                $"p50 {result.P50Ms,8:N1} ms, p99 {result.P99Ms,8:N1} ms, p99.9 {result.P999Ms,8:N1} ms, server CPU {result.ServerCpuCores:N2} cores, sent {result.Sent}, acks {result.Acked}, errors {result.Errors}, connections {result.Connections}" +
                (result.Sustainable ? "" : "  (not sustainable)"));
            // Two misses in a row end the sweep: one alone is often a stall of this shared machine.
            failures = result.Sustainable ? 0 : failures + 1;
            if (failures == 2 && settings.Mode != "warm-up") break;
            await Task.Delay(500, cancellationToken);
        }
        return results;
    }

    private async Task<StepResult> RunStepAsync(ServerProcess server, IBenchTarget target, RoomLoad load, DeliveryStats stats, int rate, int reconnected, CancellationToken cancellationToken)
    {
        var step = Interlocked.Increment(ref s_step) % 1000;
        var connections = load.OpenConnections;
        stats.BeginStep(step);
        var serverCpu0 = server.CpuTime();
        var benchCpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();

        var senders = load.Senders;
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(settings.StepSeconds * Stopwatch.Frequency);
        var interval = Stopwatch.Frequency * (double)senders.Count / rate;
        var sentBySender = await Task.WhenAll(senders.Select((sender, index) =>
            SendLoopAsync(sender!, index, step, start + (long)(interval * index / senders.Count), interval, end, cancellationToken)));
        var sent = sentBySender.Sum();
        var sendSeconds = clock.Elapsed.TotalSeconds;

        // Drain: until everything arrived, or nothing more arrives for a while, or the cap.
        var expected = sent * connections;
        var lastProgress = Stopwatch.StartNew();
        var lastCount = -1L;
        var drain = Stopwatch.StartNew();
        while (drain.Elapsed.TotalSeconds < settings.DrainSeconds)
        {
            var delivered = stats.Delivered;
            var acked = !target.Acknowledges || stats.Acks >= sent;
            if (delivered >= expected && acked) break;
            if (delivered != lastCount)
            {
                lastCount = delivered;
                lastProgress.Restart();
            }
            else if (lastProgress.Elapsed > TimeSpan.FromSeconds(1.5)) break;
            await Task.Delay(20, cancellationToken);
        }
        var elapsed = clock.Elapsed.TotalSeconds;
        var serverCpu = (server.CpuTime() - serverCpu0).TotalSeconds / elapsed;
        var benchCpu = (Process.GetCurrentProcess().TotalProcessorTime - benchCpu0).TotalSeconds / elapsed;

        var deliveredTotal = stats.Delivered;
        var ratio = expected == 0 ? 0 : deliveredTotal / (double)expected;
        var p99 = stats.PercentileMs(0.99);
        return new StepResult(
            target.Name, rate, Math.Round(sendSeconds, 2), connections, sent, target.Acknowledges ? stats.Acks : null, stats.Errors,
            expected, deliveredTotal, Math.Round(ratio, 5),
            Math.Round(deliveredTotal / sendSeconds),
            Round(stats.PercentileMs(0.50)), Round(p99), Round(stats.PercentileMs(0.999)), Round(stats.MaxMs()),
            Math.Round(serverCpu, 2), Math.Round(benchCpu, 2), reconnected,
            Sustainable: ratio >= 0.99 && p99 < 500);
    }

    private static double Round(double ms) => double.IsNaN(ms) ? -1 : Math.Round(ms, ms < 10 ? 2 : 1);

    private static async Task<long> SendLoopAsync(IBenchSender sender, int index, int step, long first, double interval, long end, CancellationToken cancellationToken)
    {
        var sent = 0L;
        for (var k = 0L; ; k++)
        {
            var due = first + (long)(k * interval);
            if (due >= end) break;
            var wait = due - Stopwatch.GetTimestamp();
            if (wait > Stopwatch.Frequency / 1000) await Task.Delay(TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency), cancellationToken);
            if (!sender.IsOpen) break;
            try
            {
                await sender.SendAsync($"b{index}-{step}-{k}", Payload.Text(step, due), cancellationToken);
                sent++;
            }
            catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or IOException or InvalidOperationException
                                          || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // Dropped (an overloaded server cuts a sender that cannot keep up with its own room;
                // .NET reports a send on the cut socket as a cancellation): its unsent messages are
                // simply not offered.
                break;
            }
        }
        return sent;
    }
}

/// <summary>What one run does (quick or full).</summary>
/// <param name="IdleSeconds">How long idle connections sit before RSS is read without a forced GC (0: not read).</param>
/// <param name="LargeRoomRate">Offered msg/s to the room of the largest idle step (0: no such step).</param>
/// <param name="LargeIdleConnections">The largest idle step, capped by the open-file limit (0: none).</param>
public sealed record BenchSettings(string Mode, int[] Rates, double StepSeconds, double DrainSeconds, int RoomConnections, int Senders, int[] IdleConnectionCounts,
    int IdleSeconds = 0, int LargeRoomRate = 0, int LargeIdleConnections = 0);
