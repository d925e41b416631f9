using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using ChatDemo.Web.Tests.TestInfrastructure;
using Xunit.Abstractions;

namespace ChatDemo.Web.Tests.Reliability;

[Collection(ReliabilityCollection.Name)]
public sealed class ConnectionFloodTests(ITestOutputHelper output)
{
    private const int Attempts = 2000;
    private const int MaxConnections = 150;

    [Fact]
    public async Task TwoThousandUpgradesInTwoSecondsMeetTheConfiguredLimitWhileHealthKeepsAnswering()
    {
        await using var app = await ChatApp.StartAsync(new Dictionary<string, string?>
        {
            ["Chat:Limits:MaxConnections"] = MaxConnections.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var session = await app.CreateSessionAsync("Crowd");
        var uri = app.WebSocketUri("lobby", session.Token);
        var open = new System.Collections.Concurrent.ConcurrentBag<ClientWebSocket>();
        var statuses = new System.Collections.Concurrent.ConcurrentBag<int>();
        using var stopHealth = new CancellationTokenSource();
        var health = ProbeHealthAsync(app.BaseUri, stopHealth.Token);
        var stopwatch = Stopwatch.StartNew();
        try
        {
            // 2,000 attempts in 10 waves of 200, 200 ms apart.
            var attempts = new List<Task>();
            for (var wave = 0; wave < 10; wave++)
            {
                // Task.Run: the synchronous start of each upgrade must not slow the launching down.
                for (var i = 0; i < Attempts / 10; i++) attempts.Add(Task.Run(() => AttemptAsync(uri, open, statuses)));
                await Task.Delay(200);
            }
            var launched = stopwatch.Elapsed;
            await Task.WhenAll(attempts);
            var answered = stopwatch.Elapsed;
            await Task.Delay(1000); // health keeps being probed after the flood too
            await stopHealth.CancelAsync();
            var probes = await health;

            var byStatus = statuses.GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
            var healthMs = probes.Select(p => p.Milliseconds).Order().ToArray();
            output.WriteLine($"connection flood: {Attempts} upgrades launched in {launched.TotalSeconds:0.0} s, all answered after {answered.TotalSeconds:0.0} s: " +
                             string.Join(", ", byStatus.OrderBy(s => s.Key).Select(s => $"{(s.Key == 0 ? "no answer" : s.Key.ToString(System.Globalization.CultureInfo.InvariantCulture))} x{s.Value}")) +
                             $"; /health probed {probes.Count} times: all 200: {probes.All(p => p.Status == 200)}, " +
                             $"median {healthMs[healthMs.Length / 2]:0} ms, max {healthMs[^1]:0} ms");

            Assert.Equal(Attempts, statuses.Count);
            Assert.Equal(MaxConnections, byStatus.GetValueOrDefault(101));
            Assert.Equal(Attempts - MaxConnections, byStatus.GetValueOrDefault(503));
            Assert.All(probes, p => Assert.Equal(200, p.Status));
            Assert.True(probes.Count >= 10, "health was hardly probed");
            // Promptly: the flood and the probe share this process and 2 busy cores, so a probe may
            // wait a scheduling hiccup, but none waits for the flood to pass (it lasts far longer).
            Assert.True(healthMs[^1] < 3000, $"a /health probe took {healthMs[^1]} ms");
        }
        finally
        {
            await stopHealth.CancelAsync();
            foreach (var socket in open)
            {
                socket.Abort();
                socket.Dispose();
            }
        }

        // Once the crowd has gone, connections are accepted again.
        await Poll.WaitUntilAsync(async () => await ChatSocket.TryConnectAsync(uri) == 101, "a new connection is accepted again", TimeSpan.FromSeconds(20));
    }

    private static async Task AttemptAsync(Uri uri, System.Collections.Concurrent.ConcurrentBag<ClientWebSocket> open,
        System.Collections.Concurrent.ConcurrentBag<int> statuses)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await socket.ConnectAsync(uri, timeout.Token);
            statuses.Add(101);
            open.Add(socket);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            statuses.Add((int)socket.HttpStatusCode);
            socket.Dispose();
        }
    }

    private static async Task<List<(int Status, double Milliseconds)>> ProbeHealthAsync(Uri baseUri, CancellationToken stop)
    {
        // Its own connection pool: the probe must not queue behind the flood's sockets.
        using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(10) };
        var results = new List<(int, double)>();
        while (!stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await http.GetAsync("/health", CancellationToken.None);
                results.Add(((int)response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                results.Add((0, Stopwatch.GetElapsedTime(started).TotalMilliseconds));
            }
            try
            {
                await Task.Delay(100, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return results;
    }
}
