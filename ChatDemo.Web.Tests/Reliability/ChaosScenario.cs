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

    /// <summary>
    /// protocol.md 10 (v1.1): after each send, the chance that the client also changes a message
    /// (edits or deletes one of its own, reacts to anyone's), and the chance that a send replies.
    /// 0 gives the v1 scenario.
    /// </summary>
    public double ChangeChance { get; init; } = 0.6;

    public double ReplyChance { get; init; } = 0.2;

    /// <summary>
    /// Per room, a client that only watches: it loads the room, goes offline from the first
    /// restart until every send and change is answered, and must then catch up by seq and by
    /// changedSince (10.8).
    /// </summary>
    public int OfflineObserversPerRoom { get; init; } = 1;
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
    ChangeFigures Changes,
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
        $"ack mismatches {AckMismatches}, client views differing from history {ViewMismatches}, unused seqs {UnusedSeqs}; {Changes}; " +
        $"{Aborts} sockets aborted, {Restarts} restarts, {Connections} connections opened, {Resends} resends, " +
        $"{DuplicateAcks} duplicate acks, {Violations.Count} protocol violations; {Elapsed.TotalSeconds:0.0} s";
}

/// <summary>What the v1.1 part of a chaos run asked for and found (protocol.md 10).</summary>
public sealed record ChangeFigures(
    int Replies,
    int Edits,
    int Deletes,
    int Reactions,
    int Answered,
    int DuplicateUpdateAcks,
    int RefusedAsDeleted,
    int StatesFromChangedSince,
    int ObserverStatesFromChangedSince,
    int ChangesLost,
    int RevisionsReused)
{
    public override string ToString() =>
        $"{Replies} replies, {Edits} edits, {Deletes} deletes, {Reactions} reactions; {Answered} changes answered, " +
        $"{DuplicateUpdateAcks} duplicate updateAcks, {RefusedAsDeleted} reactions refused as message_deleted, " +
        $"{StatesFromChangedSince} states caught up by changedSince ({ObserverStatesFromChangedSince} by the offline observers); " +
        $"changes lost {ChangesLost}, revisions reused {RevisionsReused}";
}

/// <summary>
/// Protocol-following clients in several rooms send with random pauses while a driver aborts
/// random sockets (no close frame) and restarts the server; then every sent message must be in
/// history exactly once and every client's view must equal its room's history. With v1.1 the
/// clients also reply, edit and delete their own messages and react to anyone's
/// (<see cref="ChangePlan"/>), and every message's stored state must be what its changes made it,
/// and every client's view must hold that state exactly, version included. Store-agnostic:
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

        var plans = clients.Select(c => new ChangePlan(c.Client, c.Session.UserId)).ToArray();
        var observers = new List<ReconnectingChatClient>();
        foreach (var room in rooms)
        {
            for (var o = 0; o < settings.OfflineObserversPerRoom; o++)
            {
                var session = await app.CreateSessionAsync($"Watcher {room} {o}");
                observers.Add(new ReconnectingChatClient(() => app.BaseUri, room, session.Token, $"watch-{room}-{o}", fastReconnect, settings.Seed - observers.Count - 1));
            }
        }

        var sent = new List<(TestSession Session, string Room, string ClientMessageId, string Text)>();
        var aborts = 0;
        var restarts = 0;
        try
        {
            foreach (var (_, client) in clients) client.Start();
            foreach (var observer in observers) observer.Start();

            var senders = clients.Select((c, i) => Task.Run(async () =>
            {
                var random = new Random(settings.Seed * 31 + i);
                var mine = new List<(TestSession, string, string, string)>();
                for (var n = 0; n < settings.MessagesPerClient; n++)
                {
                    await Task.Delay(random.Next((int)settings.MinPause.TotalMilliseconds, (int)settings.MaxPause.TotalMilliseconds));
                    var text = $"message {n} from client {i}";
                    var clientMessageId = await plans[i].SendAsync(text, random.NextDouble() < settings.ReplyChance, random);
                    mine.Add((c.Session, c.Client.Room, clientMessageId, text));
                    if (random.NextDouble() < settings.ChangeChance) await plans[i].ChangeSomethingAsync(n, random);
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
                    if (restarts == 0) foreach (var observer in observers) observer.GoOffline();
                    await app.RestartAsync();
                    restarts++;
                }
            }
            foreach (var sender in senders) sent.AddRange(await sender);
            await WaitForAllAsync(clients.Select(c => c.Client.WaitUntilAllAckedAsync(settings.SettleTimeout)));
            // Back only once every change is made: what they missed they can only get by catching up.
            foreach (var observer in observers) observer.GoOnline();

            return await CheckAsync(app, settings, rooms, clients, plans, observers, sent, aborts, restarts, stopwatch);
        }
        finally
        {
            foreach (var (_, client) in clients) await client.DisposeAsync();
            foreach (var observer in observers) await observer.DisposeAsync();
        }
    }

    private static async Task<ChaosReport> CheckAsync(
        ChatApp app,
        ChaosSettings settings,
        string[] rooms,
        List<(TestSession Session, ReconnectingChatClient Client)> clients,
        ChangePlan[] plans,
        List<ReconnectingChatClient> observers,
        List<(TestSession Session, string Room, string ClientMessageId, string Text)> sent,
        int aborts,
        int restarts,
        Stopwatch stopwatch)
    {
        var histories = new Dictionary<string, List<ViewMessage>>();
        foreach (var room in rooms) histories[room] = await ReadHistoryAsync(app.Http, room);

        var stored = histories.Values.SelectMany(h => h).ToList();
        var storedBySender = stored.ToLookup(m => (m.SenderId, m.ClientMessageId));
        // A sent message is there when it is stored under its clientMessageId; what its text now is
        // (edited, or a tombstone) is for ChangePlan.Check to say.
        var lost = sent.Count(s => !storedBySender[(s.Session.UserId, s.ClientMessageId)].Any());
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

        // Every message's stored state is what the changes asked of it made it.
        var changesLost = 0;
        var stateProblems = new List<string>();
        foreach (var plan in plans) changesLost += plan.Check(histories[plan.Room], stateProblems);
        // Each change took its own revision: no two messages of a room carry the same one.
        var revisionsReused = histories.Values.Sum(h => h.Where(m => m.Revision > 0).GroupBy(m => m.Revision).Sum(g => g.Count() - 1));

        // A resend refused as message_deleted after its first was applied is right only if the message is deleted.
        foreach (var client in clients.Select(c => c.Client))
        foreach (var seq in client.RefusedAfterAnswer)
            if (histories[client.Room].FirstOrDefault(m => m.Seq == seq) is not { Deleted: true })
                stateProblems.Add($"{client.Room}: a resent change of {seq} was refused as message_deleted, but {seq} is not deleted");

        // Final views: every client, reconnected and caught up, holds exactly its room's history,
        // each message in its stored state.
        var viewers = clients.Select(c => c.Client).Concat(observers).ToList();
        var holding = viewers.Select(c => c.WaitUntilHoldsAsync(histories[c.Room], settings.SettleTimeout));
        try
        {
            await WaitForAllAsync(holding);
        }
        catch (TimeoutException)
        {
            // Counted below as differing views.
        }
        foreach (var client in viewers)
        {
            var view = client.View;
            if (view.SequenceEqual(histories[client.Room])) continue;
            viewMismatches++;
            var differing = view.Zip(histories[client.Room]).FirstOrDefault(p => p.First != p.Second);
            stateProblems.Add(differing.First is null
                ? $"{client.Room}: a view holds {view.Count} messages, history {histories[client.Room].Count}"
                : $"{client.Room}: a view holds {differing.First.State}, history {differing.Second.State}");
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
            Changes: new ChangeFigures(
                Replies: plans.Sum(p => p.Replies),
                Edits: plans.Sum(p => p.Edits),
                Deletes: plans.Sum(p => p.Deletes),
                Reactions: plans.Sum(p => p.Reactions),
                Answered: clients.Sum(c => c.Client.ChangeAnswers.Count),
                DuplicateUpdateAcks: clients.Sum(c => c.Client.DuplicateUpdateAcks),
                RefusedAsDeleted: clients.Sum(c => c.Client.ChangeAnswers.Values.Count(a => a.Outcome == "message_deleted")),
                StatesFromChangedSince: viewers.Sum(c => c.StatesFromChangedSince),
                ObserverStatesFromChangedSince: observers.Sum(o => o.StatesFromChangedSince),
                ChangesLost: changesLost,
                RevisionsReused: revisionsReused),
            Aborts: aborts,
            Restarts: restarts,
            Connections: clients.Sum(c => c.Client.ConnectionsOpened),
            Resends: clients.Sum(c => c.Client.Resends),
            DuplicateAcks: clients.Sum(c => c.Client.DuplicateAcks),
            Violations: [.. viewers.SelectMany(c => c.Violations), .. stateProblems],
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
