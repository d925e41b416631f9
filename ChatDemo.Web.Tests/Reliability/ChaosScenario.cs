using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.Reliability;

/// <summary>How hard <see cref="ChaosScenario"/> shakes the server.</summary>
public sealed record ChaosSettings
{
    public int Clients { get; init; } = 20;
    public int Rooms { get; init; } = 3;
    public int MessagesPerClient { get; init; } = 50;
    public int Restarts { get; init; } = 2;
    public int Seed { get; init; } = 20261126;
    public TimeSpan MinPause { get; init; } = TimeSpan.FromMilliseconds(10);
    public TimeSpan MaxPause { get; init; } = TimeSpan.FromMilliseconds(150);
    public TimeSpan MinAbortInterval { get; init; } = TimeSpan.FromMilliseconds(50);
    public TimeSpan MaxAbortInterval { get; init; } = TimeSpan.FromMilliseconds(250);
    public TimeSpan SettleTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>What a chaos run did and found; the figures docs/reliability.md reports.</summary>
public sealed record ChaosReport(
    int Sent,
    int Acked,
    int Stored,
    int Lost,
    int Duplicated,
    int Unexpected,
    int AckMismatches,
    int ViewMismatches,
    int UnusedSeqs,
    int Aborts,
    int Restarts,
    int Connections,
    int Resends,
    int DuplicateAcks,
    IReadOnlyList<string> Violations,
    TimeSpan Elapsed)
{
    public override string ToString() =>
        $"sent {Sent}, acked {Acked}, stored {Stored}, lost {Lost}, duplicated {Duplicated}, unexpected {Unexpected}, " +
        $"ack mismatches {AckMismatches}, client views differing from history {ViewMismatches}, unused seqs {UnusedSeqs}; " +
        $"{Aborts} sockets aborted, {Restarts} restarts, {Connections} connections opened, {Resends} resends, " +
        $"{DuplicateAcks} duplicate acks, {Violations.Count} protocol violations; {Elapsed.TotalSeconds:0.0} s";
}

/// <summary>
/// Protocol-following clients in several rooms send with random pauses while a driver aborts
/// random sockets (no close frame) and restarts the server; then every sent message must be in
/// history exactly once and every client's view must equal its room's history. Store-agnostic:
/// it only talks to a <see cref="ChatApp"/>, whatever store that app was started with.
/// </summary>
public static class ChaosScenario
{
    public static async Task<ChaosReport> RunAsync(ChatApp app, ChaosSettings settings)
    {
        var stopwatch = Stopwatch.StartNew();
        var driverRandom = new Random(settings.Seed);
        var rooms = Enumerable.Range(0, settings.Rooms).Select(r => $"chaos-{r}").ToArray();
        var fastReconnect = new ReconnectOptions
        {
            // Protocol.md's 0.5 s → 30 s, scaled down so that a bounded test is not mostly waiting.
            InitialBackoff = TimeSpan.FromMilliseconds(100),
            MaxBackoff = TimeSpan.FromSeconds(2),
        };

        var clients = new List<(TestSession Session, ReconnectingChatClient Client)>();
        for (var i = 0; i < settings.Clients; i++)
        {
            var session = await app.CreateSessionAsync($"Chaos {i}");
            var client = new ReconnectingChatClient(() => app.BaseUri, rooms[i % rooms.Length], session.Token, $"chaos{i}",
                fastReconnect, settings.Seed + i);
            clients.Add((session, client));
        }

        var sent = new List<(TestSession Session, string Room, string ClientMessageId, string Text)>();
        var aborts = 0;
        var restarts = 0;
        try
        {
            foreach (var (_, client) in clients) client.Start();

            var senders = clients.Select((c, i) => Task.Run(async () =>
            {
                var random = new Random(settings.Seed * 31 + i);
                var mine = new List<(TestSession, string, string, string)>();
                for (var n = 0; n < settings.MessagesPerClient; n++)
                {
                    await Task.Delay(random.Next((int)settings.MinPause.TotalMilliseconds, (int)settings.MaxPause.TotalMilliseconds));
                    var text = $"message {n} from client {i}";
                    var clientMessageId = await c.Client.SendAsync(text);
                    mine.Add((c.Session, c.Client.Room, clientMessageId, text));
                }
                return mine;
            })).ToArray();

            // The driver: abort a random client's socket every so often, and restart the server
            // when the traffic is a third and two thirds through.
            var total = settings.Clients * settings.MessagesPerClient;
            // A slow store (DynamoDB) may still be acknowledging when the senders are done: the
            // restarts then come as soon as the sending stops, so that every run has them.
            while (!senders.All(s => s.IsCompleted) || restarts < settings.Restarts)
            {
                await Task.Delay(driverRandom.Next((int)settings.MinAbortInterval.TotalMilliseconds, (int)settings.MaxAbortInterval.TotalMilliseconds));
                clients[driverRandom.Next(clients.Count)].Client.AbortConnection();
                aborts++;
                var acked = clients.Sum(c => c.Client.Acks.Count);
                if (restarts < settings.Restarts && (acked >= total * (restarts + 1) / (settings.Restarts + 1) || senders.All(s => s.IsCompleted)))
                {
                    await app.RestartAsync();
                    restarts++;
                }
            }
            foreach (var sender in senders) sent.AddRange(await sender);
            await WaitForAllAsync(clients.Select(c => c.Client.WaitUntilAllAckedAsync(settings.SettleTimeout)));

            return await CheckAsync(app, settings, rooms, clients, sent, aborts, restarts, stopwatch);
        }
        finally
        {
            foreach (var (_, client) in clients) await client.DisposeAsync();
        }
    }

    private static async Task<ChaosReport> CheckAsync(
        ChatApp app,
        ChaosSettings settings,
        string[] rooms,
        List<(TestSession Session, ReconnectingChatClient Client)> clients,
        List<(TestSession Session, string Room, string ClientMessageId, string Text)> sent,
        int aborts,
        int restarts,
        Stopwatch stopwatch)
    {
        var histories = new Dictionary<string, List<ViewMessage>>();
        foreach (var room in rooms) histories[room] = await ReadHistoryAsync(app.Http, room);

        var stored = histories.Values.SelectMany(h => h).ToList();
        var storedBySender = stored.ToLookup(m => (m.SenderId, m.ClientMessageId));
        var lost = sent.Count(s => !storedBySender[(s.Session.UserId, s.ClientMessageId)].Any(m => m.Text == s.Text));
        var duplicated = storedBySender.Sum(g => g.Count() - 1) + stored.GroupBy(m => m.Id).Sum(g => g.Count() - 1);
        var sentKeys = sent.Select(s => (s.Session.UserId, s.ClientMessageId)).ToHashSet();
        var unexpected = stored.Count(m => !sentKeys.Contains((m.SenderId, m.ClientMessageId)));
        var unusedSeqs = histories.Values.Sum(h => h.Count == 0 ? 0 : (int)(h[^1].Seq - h.Count));

        var ackMismatches = 0;
        var viewMismatches = 0;
        foreach (var (session, client) in clients)
        {
            var history = histories[client.Room];
            var bySeq = history.ToDictionary(m => m.Seq);
            foreach (var ack in client.Acks.Values)
            {
                if (!bySeq.TryGetValue(ack.Seq, out var m) || m.Id != ack.Id || m.SenderId != session.UserId) ackMismatches++;
            }
        }

        // Final views: every client, reconnected and caught up, holds exactly its room's history.
        var holding = clients.Select(c => c.Client.WaitUntilHoldsAsync(histories[c.Client.Room].Select(m => m.Seq).ToArray(), settings.SettleTimeout));
        try
        {
            await WaitForAllAsync(holding);
        }
        catch (TimeoutException)
        {
            // Counted below as differing views.
        }
        foreach (var (_, client) in clients)
        {
            if (!client.View.SequenceEqual(histories[client.Room])) viewMismatches++;
        }

        return new ChaosReport(
            Sent: sent.Count,
            Acked: clients.Sum(c => c.Client.Acks.Count),
            Stored: stored.Count,
            Lost: lost,
            Duplicated: duplicated,
            Unexpected: unexpected,
            AckMismatches: ackMismatches,
            ViewMismatches: viewMismatches,
            UnusedSeqs: unusedSeqs,
            Aborts: aborts,
            Restarts: restarts,
            Connections: clients.Sum(c => c.Client.ConnectionsOpened),
            Resends: clients.Sum(c => c.Client.Resends),
            DuplicateAcks: clients.Sum(c => c.Client.DuplicateAcks),
            Violations: clients.SelectMany(c => c.Client.Violations).ToArray(),
            Elapsed: stopwatch.Elapsed);
    }

    /// <summary>
    /// Waits for every client; when some time out, says which (all of them: one room's clients
    /// stalling together points at the server, one client alone at that client).
    /// </summary>
    private static async Task WaitForAllAsync(IEnumerable<Task> waits)
    {
        var all = waits.ToArray();
        try
        {
            await Task.WhenAll(all);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(string.Join(Environment.NewLine,
                all.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!.Message)));
        }
    }

    /// <summary>A room's whole history, oldest first, paging with <c>after</c>.</summary>
    public static async Task<List<ViewMessage>> ReadHistoryAsync(HttpClient http, string room)
    {
        var all = new List<ViewMessage>();
        long after = 0;
        while (true)
        {
            var page = await http.GetFromJsonAsync<JsonElement>($"/api/rooms/{room}/messages?after={after}&limit=100");
            foreach (var m in page.GetProperty("messages").EnumerateArray()) all.Add(ViewMessage.From(m));
            if (!page.GetProperty("hasMore").GetBoolean()) return all;
            after = all[^1].Seq;
        }
    }
}
