using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace ChatDemo.Web.Tests.TestInfrastructure;

/// <summary>The server's <c>ack</c> for one of this client's messages.</summary>
public sealed record AckedMessage(string ClientMessageId, string Id, long Seq);

/// <summary>
/// The final answer to one of this client's change requests (protocol.md 10.3, 10.5):
/// <c>updated</c>, <c>duplicate</c> or the refusal's error code, with the state the ack carried.
/// </summary>
public sealed record ChangeAnswer(string Action, long Seq, string Outcome, ViewMessage? State);

/// <summary>
/// A client that does what protocol.md section 7 asks of every client: reconnect with exponential
/// backoff and jitter, catch up with <c>after={highest contiguous seq}</c> until <c>hasMore</c>
/// is false, re-send every unacknowledged message with its original <c>clientMessageId</c>,
/// drop duplicates by <c>id</c> and order by <c>seq</c>. The server's address is asked for on
/// every attempt (<see cref="ChatApp.BaseUri"/> changes on a restart).
/// <para>
/// And what section 10.8 adds for v1.1: it keeps, per <c>seq</c>, the state with the highest
/// <c>version</c> from any source (a frame, an ack, a page); it keeps the room's
/// <c>revision</c> (from its first page, every <c>changedSince</c> answer, and live
/// <c>messageUpdated</c> frames that follow on without a gap); after a reconnect it catches up by
/// <c>seq</c>, then by <c>changedSince</c>, then re-sends unanswered sends and changes; a gap in the
/// revisions of live frames is repaired with <c>changedSince</c> after a moment. It sends a
/// message's next change only after the previous one was answered (10.6).
/// </para>
/// </summary>
public sealed class ReconnectingChatClient : IAsyncDisposable
{
    private readonly Func<Uri> _baseUri;
    private readonly string _token;
    private readonly string _idPrefix;
    private readonly ReconnectOptions _options;
    private readonly Random _jitter;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly Lock _gate = new();
    private readonly SortedDictionary<long, ViewMessage> _view = [];
    private readonly Dictionary<string, long> _seqById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AckedMessage> _acks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ChangeAnswer> _changeAnswers = new(StringComparer.Ordinal);
    private readonly List<long> _refusedAfterAnswer = [];
    private readonly SortedSet<long> _revisionsAhead = [];
    private readonly List<string> _violations = [];
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private ClientWebSocket? _socket;
    private long _contiguous;
    private long _gapSince;
    private long? _revision;
    private long _revisionGapSince;
    private int _statesFromChangedSince;
    private volatile bool _offline;
    private int _nextId;
    private int _resends;
    private string? _lastFailure;
    private Task _running = Task.CompletedTask;
    private Task _maintaining = Task.CompletedTask;

    public ReconnectingChatClient(Func<Uri> baseUri, string room, string token, string idPrefix, ReconnectOptions? options = null, int seed = 0)
    {
        _baseUri = baseUri;
        Room = room;
        _token = token;
        _idPrefix = idPrefix;
        _options = options ?? new ReconnectOptions();
        _jitter = new Random(seed);
    }

    public string Room { get; }

    /// <summary>Connections opened so far (the first one included).</summary>
    public int ConnectionsOpened { get; private set; }

    /// <summary>Acks that said <c>duplicate: true</c>: resends whose first ack was lost.</summary>
    public int DuplicateAcks { get; private set; }

    /// <summary>Change acks that said <c>duplicate: true</c> (10.6).</summary>
    public int DuplicateUpdateAcks { get; private set; }

    /// <summary>States that a <c>changedSince</c> answer brought and this client did not hold yet: changes it missed live.</summary>
    public int StatesFromChangedSince
    {
        get { lock (_gate) return _statesFromChangedSince; }
    }

    /// <summary>The revision up to which this client has applied every change of its room (10.8), or null before its first page.</summary>
    public long? Revision
    {
        get { lock (_gate) return _revision; }
    }

    /// <summary>Frames this client has re-sent (after a reconnect, an error or a silence).</summary>
    public int Resends => Volatile.Read(ref _resends);

    public bool IsConnected
    {
        get { lock (_gate) return _socket is { State: WebSocketState.Open }; }
    }

    public int PendingCount
    {
        get { lock (_gate) return _pending.Count; }
    }

    /// <summary>The client's view of the room: each message once, in <c>seq</c> order.</summary>
    public IReadOnlyList<ViewMessage> View
    {
        get { lock (_gate) return [.. _view.Values]; }
    }

    public IReadOnlyDictionary<string, AckedMessage> Acks
    {
        get { lock (_gate) return new Dictionary<string, AckedMessage>(_acks); }
    }

    /// <summary>The final answer to each change request, by its <c>clientMessageId</c>.</summary>
    public IReadOnlyDictionary<string, ChangeAnswer> ChangeAnswers
    {
        get { lock (_gate) return new Dictionary<string, ChangeAnswer>(_changeAnswers); }
    }

    /// <summary>
    /// The messages whose change was applied (answered <c>updateAck</c>) and whose crossing resend
    /// was then refused as <c>message_deleted</c>: each must end deleted.
    /// </summary>
    public IReadOnlyList<long> RefusedAfterAnswer
    {
        get { lock (_gate) return [.. _refusedAfterAnswer]; }
    }

    /// <summary>True while a change of message <paramref name="seq"/> waits for its answer: the next one must wait (10.6).</summary>
    public bool HasPendingChange(long seq)
    {
        lock (_gate) return _pending.Values.Any(p => p.ChangeSeq == seq);
    }

    /// <summary>Anything the server did that protocol.md says it must not (reported, not thrown).</summary>
    public IReadOnlyList<string> Violations
    {
        get { lock (_gate) return [.. _violations]; }
    }

    public void Start()
    {
        _running = RunAsync();
        _maintaining = MaintainAsync();
    }

    /// <summary>Queues a message (a reply when <paramref name="replyTo"/> is given); it is sent now if connected, else on the next connection, until acknowledged.</summary>
    public Task<string> SendAsync(string text, long? replyTo = null) =>
        QueueAsync(id => replyTo is { } target
            ? new { action = "sendMessage", clientMessageId = id, text, replyTo = target }
            : (object)new { action = "sendMessage", clientMessageId = id, text }, "sendMessage", changeSeq: null);

    /// <summary>Queues an edit of message <paramref name="seq"/>, sent until answered (10.2).</summary>
    public Task<string> EditAsync(long seq, string text) =>
        QueueAsync(id => new { action = "editMessage", seq, text, clientMessageId = id }, "editMessage", seq);

    public Task<string> DeleteAsync(long seq) =>
        QueueAsync(id => new { action = "deleteMessage", seq, clientMessageId = id }, "deleteMessage", seq);

    public Task<string> ReactAsync(long seq, string emoji, bool add) =>
        QueueAsync(id => new { action = "react", seq, emoji, op = add ? "add" : "remove", clientMessageId = id }, "react", seq);

    private async Task<string> QueueAsync(Func<string, object> frame, string action, long? changeSeq)
    {
        string clientMessageId;
        Pending pending;
        lock (_gate)
        {
            clientMessageId = $"{_idPrefix}-{++_nextId}";
            if (changeSeq is { } seq && _pending.Values.Any(p => p.ChangeSeq == seq))
                throw new InvalidOperationException($"a change of {seq} is still unanswered; protocol.md 10.6 asks to wait for it");
            pending = new Pending(clientMessageId, JsonSerializer.SerializeToUtf8Bytes(frame(clientMessageId)), action, changeSeq);
            _pending.Add(clientMessageId, pending);
        }
        await TrySendAsync(pending);
        return clientMessageId;
    }

    /// <summary>Drops the connection and stays away until <see cref="GoOnline"/>: a laptop closed for a while.</summary>
    public void GoOffline()
    {
        _offline = true;
        AbortConnection();
    }

    public void GoOnline() => _offline = false;

    /// <summary>Drops the TCP connection without a close frame, as a lost network would.</summary>
    public void AbortConnection()
    {
        lock (_gate) _socket?.Abort();
    }

    public Task WaitUntilAllAckedAsync(TimeSpan timeout) =>
        Poll.WaitUntilAsync(() => PendingCount == 0, () =>
            $"{PendingCount} messages of {_idPrefix} still unacknowledged (connected: {IsConnected}, connections: {ConnectionsOpened}, " +
            $"last failure: {_lastFailure ?? "none"}, violations: {string.Join(" | ", Violations)})", timeout);

    /// <summary>Waits until the view holds every one of <paramref name="messages"/>, each at least at its version.</summary>
    public Task WaitUntilHoldsAsync(IReadOnlyCollection<ViewMessage> messages, TimeSpan timeout) =>
        Poll.WaitUntilAsync(() =>
        {
            lock (_gate) return messages.All(m => _view.TryGetValue(m.Seq, out var held) && held.Version >= m.Version);
        }, () => $"{_idPrefix} holds all {messages.Count} messages at their versions (holds {View.Count}, " +
                 $"{messages.Count(m => View.FirstOrDefault(v => v.Seq == m.Seq) is { } held && held.Version < m.Version)} behind, revision {Revision})", timeout);

    private async Task RunAsync()
    {
        var attempt = 0;
        while (!_stop.IsCancellationRequested)
        {
            if (_offline)
            {
                try
                {
                    await Task.Delay(_options.MaintenanceInterval, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                continue;
            }
            var socket = new ClientWebSocket();
            socket.Options.CollectHttpResponseDetails = true;
            try
            {
                using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
                {
                    connectTimeout.CancelAfter(_options.ConnectTimeout);
                    await socket.ConnectAsync(WebSocketUri(), connectTimeout.Token);
                }
                attempt = 0;
                lock (_gate)
                {
                    _socket = socket;
                    ConnectionsOpened++;
                }
                var receiving = ReceiveLoopAsync(socket);
                // Section 7, steps 2 and 3: catch up, then re-send what has no ack yet.
                await CatchUpAsync(_stop.Token);
                Pending[] unacked;
                lock (_gate) unacked = [.. _pending.Values.OrderBy(p => p.Order)];
                foreach (var pending in unacked)
                {
                    Interlocked.Increment(ref _resends);
                    await TrySendAsync(pending);
                }
                await receiving;
            }
            catch (Exception e) when (e is WebSocketException or HttpRequestException or OperationCanceledException or IOException or JsonException)
            {
                // The server is down, restarting or dropped us: back off and try again.
                _lastFailure = $"{e.GetType().Name}: {e.Message} (HTTP {(int)socket.HttpStatusCode})";
            }
            finally
            {
                lock (_gate)
                {
                    if (ReferenceEquals(_socket, socket)) _socket = null;
                }
                socket.Abort();
                socket.Dispose();
            }
            if (_stop.IsCancellationRequested) break;
            var backoff = Math.Min(_options.MaxBackoff.TotalMilliseconds, _options.InitialBackoff.TotalMilliseconds * Math.Pow(2, attempt++));
            double jittered;
            lock (_jitter) jittered = backoff * (0.5 + _jitter.NextDouble() / 2);
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(jittered), _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private Uri WebSocketUri()
    {
        var baseUri = _baseUri();
        var builder = new UriBuilder(baseUri) { Scheme = baseUri.Scheme == "https" ? "wss" : "ws", Path = "/ws" };
        builder.Query = $"room={Uri.EscapeDataString(Room)}&token={Uri.EscapeDataString(_token)}";
        return builder.Uri;
    }

    /// <summary>
    /// Fetches history after the highest contiguous seq, paging by the last seq of each page. A
    /// seq below that which history does not hold was left unused by a fault (protocol.md 5): the
    /// gap is repaired, so the contiguous mark moves past it. Paging from the contiguous mark
    /// instead asked for the same page forever once a send on DynamoDB had burnt a seq — a query
    /// storm that starved dynalite and made the chaos test fail one run in three.
    /// </summary>
    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        long after;
        lock (_gate) after = _contiguous;
        while (true)
        {
            var page = await _http.GetFromJsonAsync<JsonElement>(
                new Uri(_baseUri(), $"/api/rooms/{Room}/messages?after={after}&limit=100"), cancellationToken);
            lock (_gate)
            {
                // 10.8: the first page a client loads says up to which revision its items are current.
                if (_revision is null) AdvanceRevision(page.GetProperty("revision").GetInt64());
            }
            foreach (var m in page.GetProperty("messages").EnumerateArray())
            {
                var message = ViewMessage.From(m);
                Hold(message);
                after = Math.Max(after, message.Seq);
            }
            lock (_gate)
            {
                _contiguous = Math.Max(_contiguous, after);
                while (_view.ContainsKey(_contiguous + 1)) _contiguous++;
            }
            if (!page.GetProperty("hasMore").GetBoolean()) break;
        }
        await CatchUpChangesAsync(cancellationToken);
    }

    /// <summary>
    /// protocol.md 10.8 step 2: <c>changedSince={revision}</c> until <c>hasMore</c> is false,
    /// applying each item whose version is higher than the one held; each answer's
    /// <c>revision</c> becomes the client's.
    /// </summary>
    private async Task CatchUpChangesAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            long since;
            lock (_gate) since = _revision ?? 0;
            var page = await _http.GetFromJsonAsync<JsonElement>(
                new Uri(_baseUri(), $"/api/rooms/{Room}/messages?changedSince={since}&limit=100"), cancellationToken);
            foreach (var m in page.GetProperty("messages").EnumerateArray())
            {
                if (Hold(ViewMessage.From(m)))
                {
                    lock (_gate) _statesFromChangedSince++;
                }
            }
            lock (_gate) AdvanceRevision(page.GetProperty("revision").GetInt64());
            if (!page.GetProperty("hasMore").GetBoolean()) return;
        }
    }

    /// <summary>Moves the revision up to <paramref name="revision"/>, then on through the live revisions already seen beyond it. Under the gate.</summary>
    private void AdvanceRevision(long revision)
    {
        _revision = Math.Max(_revision ?? 0, revision);
        while (_revisionsAhead.Count > 0 && _revisionsAhead.Min <= _revision + 1)
        {
            _revision = Math.Max(_revision.Value, _revisionsAhead.Min);
            _revisionsAhead.Remove(_revisionsAhead.Min);
        }
        if (_revisionsAhead.Count == 0) _revisionGapSince = 0;
    }

    /// <summary>A live messageUpdated's revision: it advances the client's when it follows on, otherwise it marks a gap (10.8). Under the gate.</summary>
    private void NoteLiveRevision(long revision)
    {
        if (_revision is not { } held || revision <= held) return;
        _revisionsAhead.Add(revision);
        AdvanceRevision(held);
        if (_revisionsAhead.Count > 0 && _revisionGapSince == 0) _revisionGapSince = DateTime.UtcNow.Ticks;
    }

    private async Task ReceiveLoopAsync(ClientWebSocket socket)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                using var message = new MemoryStream();
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(), _stop.Token);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        if (socket.State == WebSocketState.CloseReceived)
                            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", _stop.Token);
                        return;
                    }
                    message.Write(buffer, 0, result.Count);
                } while (!result.EndOfMessage);
                Handle(JsonDocument.Parse(message.ToArray()).RootElement);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Aborted or lost: the run loop reconnects.
        }
    }

    private void Handle(JsonElement frame)
    {
        switch (frame.GetProperty("type").GetString())
        {
            case "message":
                Hold(ViewMessage.From(frame));
                break;
            case "messageUpdated":
                var updated = ViewMessage.From(frame);
                Hold(updated);
                lock (_gate) NoteLiveRevision(updated.Revision);
                break;
            case "updateAck":
                var state = ViewMessage.From(frame.GetProperty("message"));
                Hold(state);
                var duplicate = frame.GetProperty("duplicate").GetBoolean();
                if (frame.TryGetProperty("clientMessageId", out var answered) && answered.GetString() is { } changeId)
                {
                    lock (_gate)
                    {
                        if (duplicate) DuplicateUpdateAcks++;
                        if (_pending.Remove(changeId, out var request))
                        {
                            _changeAnswers[changeId] = new ChangeAnswer(request.Action, request.ChangeSeq ?? 0, duplicate ? "duplicate" : "updated", state);
                            if (request.Action != frame.Str("action")) _violations.Add($"{changeId} ({request.Action}) answered as {frame.Str("action")}");
                        }
                        else if (!_changeAnswers.ContainsKey(changeId))
                        {
                            _violations.Add($"updateAck for {changeId}, which this client never sent");
                        }
                    }
                }
                break;
            case "ack":
                var ack = new AckedMessage(frame.GetProperty("clientMessageId").GetString()!, frame.GetProperty("id").GetString()!,
                    frame.GetProperty("seq").GetInt64());
                lock (_gate)
                {
                    if (frame.GetProperty("duplicate").GetBoolean()) DuplicateAcks++;
                    if (_acks.TryGetValue(ack.ClientMessageId, out var earlier) && earlier != ack)
                        _violations.Add($"{ack.ClientMessageId} acked as {earlier} and later as {ack}");
                    _acks[ack.ClientMessageId] = ack;
                    _pending.Remove(ack.ClientMessageId);
                }
                break;
            case "error":
                var code = frame.GetProperty("code").GetString();
                var refusedId = frame.TryGetProperty("clientMessageId", out var echoed) ? echoed.GetString() : null;
                if (code == "message_deleted" && refusedId is not null && TakeRefusedReaction(refusedId, code))
                {
                    // Someone else's message, deleted before this reaction reached it: a final answer (10.5).
                }
                else if (code is "rate_limited" or "internal"
                    && frame.TryGetProperty("clientMessageId", out var id) && id.GetString() is { } failed)
                {
                    // Not stored: try again a little later (the maintenance loop re-sends it).
                    lock (_gate)
                    {
                        if (_pending.TryGetValue(failed, out var pending)) pending.SentAt = DateTime.UtcNow - _options.ResendAfter + _options.RetryAfterError;
                    }
                }
                else
                {
                    lock (_gate) _violations.Add($"unexpected error frame {frame}");
                }
                break;
        }
    }

    /// <summary>A reaction refused because its target was deleted (by its author, meanwhile): a final answer.</summary>
    private bool TakeRefusedReaction(string clientMessageId, string code)
    {
        lock (_gate)
        {
            if (_changeAnswers.TryGetValue(clientMessageId, out var answered))
            {
                // A resend crossed the first answer. When the message was deleted in between, 10.5
                // checks the deletion before 10.6 sees a duplicate: the resend is refused although
                // the first was applied. Final all the same, as long as the message ends deleted
                // (the scenario checks that against the stored history).
                if (answered.Outcome != code && answered.Action is "react" or "editMessage") _refusedAfterAnswer.Add(answered.Seq);
                return answered.Outcome == code || answered.Action is "react" or "editMessage";
            }
            if (!_pending.TryGetValue(clientMessageId, out var request) || request is not { Action: "react", ChangeSeq: { } seq }) return false;
            _pending.Remove(clientMessageId);
            _changeAnswers[clientMessageId] = new ChangeAnswer(request.Action, seq, code, null);
            return true;
        }
    }

    /// <summary>
    /// Keeps <paramref name="message"/> when its seq is new or its version is higher than the one
    /// held (10.1); returns whether it did. Two different states with one version, or one seq with
    /// two ids, are violations.
    /// </summary>
    private bool Hold(ViewMessage message)
    {
        if (message.Id.Length == 0) return false;
        lock (_gate)
        {
            if (_seqById.TryGetValue(message.Id, out var knownSeq))
            {
                if (knownSeq != message.Seq)
                {
                    _violations.Add($"{message.Id} seen with seq {knownSeq} and {message.Seq}");
                    return false;
                }
                var held = _view[knownSeq];
                if (message.Version > held.Version)
                {
                    _view[knownSeq] = message;
                    return true;
                }
                if (message.Version == held.Version && message.State != held.State)
                    _violations.Add($"seq {message.Seq} version {message.Version} seen as {held.State} and as {message.State}");
                return false;
            }
            if (_view.TryGetValue(message.Seq, out var other))
            {
                _violations.Add($"seq {message.Seq} seen as {other.Id} and as {message.Id}");
                return false;
            }
            _view.Add(message.Seq, message);
            _seqById.Add(message.Id, message.Seq);
            while (_view.ContainsKey(_contiguous + 1)) _contiguous++;
            return true;
        }
    }

    private async Task TrySendAsync(Pending pending)
    {
        ClientWebSocket? socket;
        lock (_gate)
        {
            socket = _socket;
            if (!_pending.ContainsKey(pending.ClientMessageId)) return;
            pending.SentAt = DateTime.UtcNow;
        }
        if (socket is not { State: WebSocketState.Open }) return;
        await _sendLock.WaitAsync();
        try
        {
            using var timeout = new CancellationTokenSource(_options.ConnectTimeout);
            await socket.SendAsync(pending.Frame, WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Still pending: it goes again on the next connection.
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// Re-sends messages answered with a retryable error or left without an ack for a while, and
    /// repairs a gap in <c>seq</c> by fetching history once it has lasted a moment (section 5).
    /// </summary>
    private async Task MaintainAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.MaintenanceInterval, _stop.Token);
                Pending[] due;
                bool repair;
                bool repairChanges;
                lock (_gate)
                {
                    var now = DateTime.UtcNow;
                    due = [.. _pending.Values.Where(p => now - p.SentAt >= _options.ResendAfter).OrderBy(p => p.Order)];
                    var hasGap = _view.Count > 0 && _view.Keys.Max() > _contiguous;
                    if (!hasGap) _gapSince = 0;
                    else if (_gapSince == 0) _gapSince = now.Ticks;
                    repair = hasGap && now.Ticks - _gapSince > _options.RetryAfterError.Ticks && _socket is not null;
                    if (repair) _gapSince = now.Ticks;
                    // 10.8: a revision gap among live frames that lasted a moment: ask changedSince once.
                    repairChanges = _revisionGapSince != 0 && now.Ticks - _revisionGapSince > _options.RetryAfterError.Ticks && _socket is not null;
                    if (repairChanges) _revisionGapSince = now.Ticks;
                }
                foreach (var pending in due)
                {
                    Interlocked.Increment(ref _resends);
                    await TrySendAsync(pending);
                }
                if (repair) await CatchUpAsync(_stop.Token);
                else if (repairChanges) await CatchUpChangesAsync(_stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException)
            {
                // The server is away; the next round tries again.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        AbortConnection();
        await Task.WhenAll(_running, _maintaining);
        _http.Dispose();
        _stop.Dispose();
    }

    /// <summary>A request waiting for its answer: a send, or a change of message <see cref="ChangeSeq"/>.</summary>
    private sealed class Pending(string clientMessageId, byte[] frame, string action, long? changeSeq)
    {
        private static long s_order;

        public string ClientMessageId { get; } = clientMessageId;

        public byte[] Frame { get; } = frame;

        public string Action { get; } = action;

        public long? ChangeSeq { get; } = changeSeq;

        public long Order { get; } = Interlocked.Increment(ref s_order);

        public DateTime SentAt { get; set; } = DateTime.MinValue;
    }
}

/// <summary>Timing of <see cref="ReconnectingChatClient"/>; protocol.md suggests 0.5 s doubling to 30 s.</summary>
public sealed record ReconnectOptions
{
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a message may go without an ack on an open connection before it is sent again: a
    /// last resort only, since an open connection loses nothing and a reconnect re-sends anyway.
    /// Short values flood a slow store with re-sends of messages it is still storing.
    /// </summary>
    public TimeSpan ResendAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Wait before re-sending a message answered with <c>rate_limited</c> or <c>internal</c>.</summary>
    public TimeSpan RetryAfterError { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaintenanceInterval { get; init; } = TimeSpan.FromMilliseconds(200);
}
