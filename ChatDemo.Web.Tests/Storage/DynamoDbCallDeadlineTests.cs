using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Storage.DynamoDb;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatDemo.Web.Tests.Storage;

/// <summary>
/// A DynamoDB endpoint that accepts connections and never answers: the SDK puts no deadline on
/// async calls, so without the store's own a send would wait inside its room's lock for ever.
/// </summary>
public sealed class DynamoDbCallDeadlineTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(1);

    private readonly TcpListener _silent = new(IPAddress.Loopback, 0);
    private readonly List<Socket> _accepted = [];
    private readonly AmazonDynamoDBClient _client;
    private readonly DynamoDbChatStore _store;

    public DynamoDbCallDeadlineTests()
    {
        _silent.Start();
        _ = AcceptForeverAsync();
        _client = new AmazonDynamoDBClient(new BasicAWSCredentials("local", "local"), new AmazonDynamoDBConfig
        {
            ServiceURL = $"http://127.0.0.1:{((IPEndPoint)_silent.LocalEndpoint).Port}",
            AuthenticationRegion = DynamoDbClientFactory.LocalRegion,
        });
        _store = new DynamoDbChatStore(_client, new DynamoDbTableNames("Messages", "Connections", "Rooms"), NullLogger<DynamoDbChatStore>.Instance, Deadline);
    }

    [Fact]
    public async Task ASendToAnEndpointThatNeverAnswersFailsWithATimeoutAtTheDeadline()
    {
        var message = new NewMessage("lobby", Ids.NewMessageId(), "c-1", new ChatUser("u_alice", "Alice"), "hi",
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        var stopwatch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<TimeoutException>(() => _store.AppendMessageAsync(message, default));

        Assert.InRange(stopwatch.Elapsed, Deadline * 0.9, Deadline * 8);
        Assert.Contains("Chat__DynamoDb__CallTimeoutSeconds", error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(_accepted);
    }

    [Fact]
    public async Task AHistoryReadPastTheDeadlineFailsWithATimeoutToo()
    {
        await Assert.ThrowsAsync<TimeoutException>(() => _store.GetMessagesAsync("lobby", new HistoryQuery(null, null, 50), default));
    }

    [Fact]
    public async Task ASendBudgetTakePastTheDeadlineFailsWithATimeoutToo()
    {
        var budgets = new DynamoDbSendBudgets(_client, new DynamoDbTableNames("Messages", "Connections", "Rooms"),
            new Web.Configuration.ConnectionLimitOptions(), TimeProvider.System, Deadline);

        await Assert.ThrowsAsync<TimeoutException>(() => budgets.TryTakeAsync("lobby", "u_alice", default));
    }

    [Fact]
    public async Task TheCallersOwnCancellationStaysACancellation()
    {
        using var cancelled = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _store.GetConnectionAsync("c_1", cancelled.Token));

        Assert.True(cancelled.IsCancellationRequested, error.ToString());
    }

    private async Task AcceptForeverAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _silent.AcceptSocketAsync();
                lock (_accepted) _accepted.Add(socket);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The listener stopped at the end of the test.
        }
    }

    public void Dispose()
    {
        _client.Dispose();
        _silent.Stop();
        lock (_accepted)
        {
            foreach (var socket in _accepted) socket.Dispose();
        }
    }
}
