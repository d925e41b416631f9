using System.Text.Json;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Storage.Sqlite;
using ChatDemo.Web.Tests.TestInfrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatDemo.Web.Tests.Unit;

/// <summary>Group commit over the real SQLite store: batches form while a write is in progress.</summary>
public sealed class MessageAppenderTests : IAsyncLifetime
{
    private static readonly ChatUser Alice = new("u_alice", "Alice");
    private readonly TempFolder _folder = new();
    private SqliteChatStore _sqlite = null!;
    private GatedStore _store = null!;
    private readonly RecordingFanOut _fanOut = new();
    private MessageAppender _appender = null!;

    public async Task InitializeAsync()
    {
        _sqlite = new SqliteChatStore(_folder.File("chat.db"));
        await _sqlite.InitializeAsync(CancellationToken.None);
        _store = new GatedStore(_sqlite);
        _appender = new MessageAppender(_store, _fanOut, new RoomLocks(NullLogger<RoomLocks>.Instance), TestMetrics.Create(), NullLogger<MessageAppender>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _sqlite.DisposeAsync();
        _folder.Dispose();
    }

    private static NewMessage Message(string clientMessageId)
    {
        var now = new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
        return new NewMessage("lobby", Ids.NewMessageId(), clientMessageId, Alice, "hi", now, now.AddDays(30));
    }

    [Fact]
    public async Task MessagesArrivingDuringAWriteGoTogetherInTheNextAndEachSenderGetsItsOwnResult()
    {
        _store.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = _appender.AppendAsync(Message("m-0"));
        await _store.Entered.Task.WaitAsync(TimeSpan.FromSeconds(5));
        var rest = Enumerable.Range(1, 20).Select(i => _appender.AppendAsync(Message($"m-{i}"))).ToList();
        rest.Add(_appender.AppendAsync(Message("m-3"))); // a resend inside the batch

        _store.Gate.SetResult();
        var results = await Task.WhenAll(rest.Prepend(first)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([1, 21], _store.BatchSizes);
        Assert.Equal(Enumerable.Range(0, 21).Select(i => $"m-{i}").Append("m-3"), results.Select(r => r.Message.ClientMessageId));
        Assert.Equal(Enumerable.Range(1, 21).Select(i => (long)i).Append(4L), results.Select(r => r.Message.Seq));
        Assert.True(results[^1].Duplicate);
        Assert.Equal(Enumerable.Range(1, 21).Select(i => (long)i), _fanOut.PublishedSeqs);
    }

    [Fact]
    public async Task AFailedWriteFailsItsWholeBatchAndTheRoomGoesOn()
    {
        _store.FailNext = new TimeoutException("the store did not answer");

        var failed = await Assert.ThrowsAsync<TimeoutException>(() => _appender.AppendAsync(Message("m-1")));
        var retried = await _appender.AppendAsync(Message("m-1")).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal("the store did not answer", failed.Message);
        Assert.Equal(1, retried.Message.Seq);
        Assert.False(retried.Duplicate);
        Assert.Equal([1L], _fanOut.PublishedSeqs);
    }

    /// <summary>The real store, with a gate that holds a write in progress and a way to fail one.</summary>
    private sealed class GatedStore(IMessageStore inner) : IMessageStore
    {
        public TaskCompletionSource? Gate { get; set; }

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Exception? FailNext { get; set; }

        public List<int> BatchSizes { get; } = [];

        public async Task<IReadOnlyList<AppendResult>> AppendMessagesAsync(IReadOnlyList<NewMessage> messages, CancellationToken cancellationToken)
        {
            lock (BatchSizes) BatchSizes.Add(messages.Count);
            if (FailNext is { } failure)
            {
                FailNext = null;
                throw failure;
            }
            if (Gate is { } gate)
            {
                Entered.TrySetResult();
                await gate.Task;
            }
            return await inner.AppendMessagesAsync(messages, cancellationToken);
        }

        public Task<MessagePage> GetMessagesAsync(string room, HistoryQuery query, CancellationToken cancellationToken) => inner.GetMessagesAsync(room, query, cancellationToken);
    }

    private sealed class RecordingFanOut : IRoomFanOut
    {
        private readonly List<long> _seqs = [];

        public List<long> PublishedSeqs
        {
            get
            {
                lock (_seqs) return [.. _seqs];
            }
        }

        public ValueTask PublishAsync(RoomEvent roomEvent, CancellationToken cancellationToken)
        {
            using var frame = JsonDocument.Parse(roomEvent.Frame);
            lock (_seqs) _seqs.Add(frame.RootElement.GetProperty("seq").GetInt64());
            return ValueTask.CompletedTask;
        }
    }
}
