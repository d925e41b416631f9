using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.Reliability;

/// <summary>
/// What one chaos client asks of its room's messages under protocol.md 10 — replies, edits and
/// deletes of its own messages, reactions to anyone's — and so what it expects to find stored
/// once every request is answered: its messages' last texts or tombstones and their
/// <c>replyTo</c>, and exactly its own reactions on every message. Only one client (one user)
/// edits, deletes or reacts as that user, so its intents alone fix those parts of the state,
/// however the server interleaved them with everyone else's.
/// </summary>
public sealed class ChangePlan(ReconnectingChatClient client, string userId)
{
    // Single code points, a presentation selector, a ZWJ sequence and a flag (10.5).
    private static readonly string[] Emoji = ["👍", "❤️", "😂", "🎉", "👩‍💻", "🇺🇳"];

    private readonly Dictionary<string, string> _texts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _replyTo = new(StringComparer.Ordinal);
    private readonly Dictionary<long, string> _lastEdit = [];
    private readonly HashSet<long> _deleted = [];
    private readonly Dictionary<long, HashSet<string>> _reactions = [];

    public string Room => client.Room;

    public int Replies { get; private set; }

    public int Edits { get; private set; }

    public int Deletes { get; private set; }

    public int Reactions { get; private set; }

    /// <summary>Sends a message; when <paramref name="reply"/>, as a reply to a random message this client holds.</summary>
    public async Task<string> SendAsync(string text, bool reply, Random random)
    {
        var view = client.View;
        long? target = reply && view.Count > 0 ? view[random.Next(view.Count)].Seq : null;
        var clientMessageId = await client.SendAsync(text, target);
        _texts[clientMessageId] = text;
        if (target is { } seq)
        {
            _replyTo[clientMessageId] = seq;
            Replies++;
        }
        return clientMessageId;
    }

    /// <summary>
    /// Edits (30 %) or deletes (10 %) one of this client's acknowledged messages, or reacts to (or
    /// takes back a reaction from) any message it holds that is not deleted; never a message whose
    /// previous change from this client is unanswered (10.6), never one it asked to delete.
    /// </summary>
    public async Task ChangeSomethingAsync(int n, Random random)
    {
        var own = client.Acks.Values.Select(a => a.Seq).Where(seq => !_deleted.Contains(seq) && !client.HasPendingChange(seq)).Order().ToList();
        var roll = random.NextDouble();
        if (roll < 0.3 && own.Count > 0)
        {
            var seq = own[random.Next(own.Count)];
            var text = $"edit {n} of {seq} by {userId}";
            _lastEdit[seq] = text;
            await client.EditAsync(seq, text);
            Edits++;
        }
        else if (roll < 0.4 && own.Count > 0)
        {
            var seq = own[random.Next(own.Count)];
            _deleted.Add(seq);
            await client.DeleteAsync(seq);
            Deletes++;
        }
        else
        {
            var candidates = client.View.Where(m => !m.Deleted && !_deleted.Contains(m.Seq) && !client.HasPendingChange(m.Seq)).ToList();
            if (candidates.Count == 0) return;
            var seq = candidates[random.Next(candidates.Count)].Seq;
            var emoji = Emoji[random.Next(Emoji.Length)];
            var mine = _reactions.TryGetValue(seq, out var held) ? held : _reactions[seq] = new HashSet<string>(StringComparer.Ordinal);
            var add = mine.Add(emoji);
            if (!add) mine.Remove(emoji);
            await client.ReactAsync(seq, emoji, add);
            Reactions++;
        }
    }

    /// <summary>
    /// Compares the room's stored states with this client's intents; adds a line per difference
    /// to <paramref name="problems"/> and returns the number of messages that differ.
    /// </summary>
    public int Check(IReadOnlyList<ViewMessage> history, List<string> problems)
    {
        var bySeq = history.ToDictionary(m => m.Seq);
        var wrong = new HashSet<long>();
        void Wrong(long seq, string problem)
        {
            if (wrong.Add(seq) && problems.Count < 20) problems.Add($"{userId}, seq {seq}: {problem}");
        }

        foreach (var ack in client.Acks.Values)
        {
            if (!bySeq.TryGetValue(ack.Seq, out var stored))
            {
                Wrong(ack.Seq, "acknowledged but not in history");
                continue;
            }
            if (_deleted.Contains(ack.Seq))
            {
                if (!stored.Deleted || stored.Text.Length > 0 || stored.Reactions.Count > 0 || stored.ReplyTo is not null || stored.Edited)
                    Wrong(ack.Seq, $"asked to delete, stored as {stored.State}");
                continue;
            }
            var text = _lastEdit.TryGetValue(ack.Seq, out var edit) ? edit : _texts[ack.ClientMessageId];
            long? replyTo = _replyTo.TryGetValue(ack.ClientMessageId, out var target) ? target : null;
            if (stored.Deleted || stored.Text != text || stored.Edited != _lastEdit.ContainsKey(ack.Seq) || stored.ReplyTo != replyTo)
                Wrong(ack.Seq, $"expected text \"{text}\" (edited: {_lastEdit.ContainsKey(ack.Seq)}, replyTo {replyTo}), stored as {stored.State}");
            if (replyTo is { } replied && !bySeq.ContainsKey(replied)) Wrong(ack.Seq, $"replies to {replied}, which the room does not hold");
        }

        // Exactly this user's reactions on every message that is not deleted, each user once per emoji.
        foreach (var stored in history.Where(m => !m.Deleted))
        {
            var expected = _reactions.TryGetValue(stored.Seq, out var set) ? set : new HashSet<string>(StringComparer.Ordinal);
            var actual = stored.Reactions.Where(r => r.UserIds.Contains(userId)).Select(r => r.Emoji).ToHashSet(StringComparer.Ordinal);
            if (!actual.SetEquals(expected))
                Wrong(stored.Seq, $"reactions by this user [{string.Join(" ", actual)}], expected [{string.Join(" ", expected)}]");
            if (stored.Reactions.Any(r => r.UserIds.Count != r.UserIds.Distinct(StringComparer.Ordinal).Count()))
                Wrong(stored.Seq, $"a user counted twice in {stored.State}");
        }

        // A reaction refused as message_deleted must have met a message that is deleted for good.
        foreach (var answer in client.ChangeAnswers.Values.Where(a => a.Outcome == "message_deleted"))
        {
            if (!bySeq.TryGetValue(answer.Seq, out var stored) || !stored.Deleted) Wrong(answer.Seq, "a reaction was refused as message_deleted, but the message is not deleted");
        }
        return wrong.Count;
    }
}
