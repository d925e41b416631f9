using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Storage.DynamoDb;
using ChatDemo.Web.Tests.TestInfrastructure;
using static ChatDemo.Web.Tests.TestInfrastructure.DynaliteTables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatDemo.Web.Tests.Storage;

/// <summary>
/// The store contract on DynamoDB (dynalite), fresh tables per test; plus what only DynamoDB
/// has: the raw items' TTL attributes, the bookkeeping items' keys, and crashes between writes.
/// </summary>
public sealed class DynamoDbChatStoreContractTests : ChatStoreContract
{
    private DynaliteTables? _dynalite;

    private DynaliteTables Tables => _dynalite!;

    private IAmazonDynamoDB Client => Tables.Client;

    protected override async Task<IChatStore> CreateStoreAsync()
    {
        _dynalite = await DynaliteTables.CreateAsync();
        return Tables.Store();
    }

    protected override async Task<DateTimeOffset?> ReadStoredMessageExpiryAsync(string room, long seq) =>
        await Tables.GetRawAsync(Tables.Names.Messages, MessageKey(room, seq)) is { } item
            ? DateTimeOffset.FromUnixTimeSeconds(Long(item[DynamoDbTables.TimeToLiveAttribute]))
            : null;

    protected override Task<IReadOnlyList<ChatConnection>> ReadRoomConnectionsAsync(string room) =>
        new DynamoDbConnectionTable(Client, Tables.Names.Connections, NullLogger.Instance).ListRoomAsync(room, default);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_dynalite is not null) await _dynalite.DisposeAsync();
    }

    // ---- raw items

    [Fact]
    public async Task MessageAndClaimCarryTheRetentionExpiryInEpochSecondsAndTheCounterNone()
    {
        var sent = Message("lobby", Alice, "c-1");
        await Store.AppendMessageAsync(sent, default);

        var message = await Tables.GetRawAsync(Tables.Names.Messages, MessageKey("lobby", 1));
        var claim = await Tables.GetRawAsync(Tables.Names.Messages, MessageKey("#claim#lobby#c-1#u_alice", 0));
        var counter = await Tables.GetRawAsync(Tables.Names.Messages, MessageKey("lobby", 0));

        Assert.Equal(sent.ExpiresAt.ToUnixTimeSeconds(), Long(message![DynamoDbTables.TimeToLiveAttribute]));
        Assert.Equal(sent.ExpiresAt.ToUnixTimeSeconds(), Long(claim![DynamoDbTables.TimeToLiveAttribute]));
        Assert.Equal(1, Long(claim[DynamoDbTables.Messages.ClaimedSeq]));
        Assert.Equal(1, Long(counter![DynamoDbTables.Messages.LastSeq]));
        Assert.False(counter.ContainsKey(DynamoDbTables.TimeToLiveAttribute));
    }

    [Fact]
    public async Task ConnectionItemsExpireTwoHoursTenMinutesAfterConnecting()
    {
        var connection = Connection("c_1", "lobby", Alice);
        await Store.AddConnectionAsync(connection, default);

        var item = await Tables.GetRawAsync(Tables.Names.Connections, ConnectionKey("c_1"));
        var presence = await Tables.GetRawAsync(Tables.Names.Connections, ConnectionKey("#presence#lobby#u_alice"));

        var expected = connection.ConnectedAt.AddHours(2).AddMinutes(10).ToUnixTimeSeconds();
        Assert.Equal(expected, Long(item![DynamoDbTables.TimeToLiveAttribute]));
        Assert.Equal(expected, Long(presence![DynamoDbTables.TimeToLiveAttribute]));
    }

    [Fact]
    public async Task TheByRoomIndexListsOnlyConnectionItems()
    {
        await Store.AddConnectionAsync(Connection("c_1", "lobby", Alice), default);
        await Store.AddConnectionAsync(Connection("c_2", "lobby", Alice), default);
        await Store.AddConnectionAsync(Connection("c_3", "lobby", Bob), default);
        await Store.RemoveConnectionAsync("c_3", default);

        var indexed = await Client.QueryAsync(new QueryRequest
        {
            TableName = Tables.Names.Connections,
            IndexName = DynamoDbTables.Connections.ByRoomIndex,
            KeyConditionExpression = "#room = :room",
            ExpressionAttributeNames = new() { ["#room"] = DynamoDbTables.Connections.ByRoomPartitionKey },
            ExpressionAttributeValues = new() { [":room"] = new AttributeValue { S = "lobby" } },
        });
        var scanned = await Client.ScanAsync(new ScanRequest { TableName = Tables.Names.Connections });

        Assert.Equal(["c_1", "c_2"], indexed.Items.Select(i => i[DynamoDbTables.Connections.PartitionKey].S).Order());
        Assert.Contains(scanned.Items, i => i[DynamoDbTables.Connections.PartitionKey].S.StartsWith("#presence#", StringComparison.Ordinal));
        Assert.All(scanned.Items.Where(i => i[DynamoDbTables.Connections.PartitionKey].S.StartsWith('#')),
            i => Assert.False(i.ContainsKey(DynamoDbTables.Connections.ByRoomPartitionKey)));
    }

    [Fact]
    public async Task TablesAreCreatedFromTheSharedKeySchemasAndCreatingAgainIsHarmless()
    {
        var log = new EventIdLogger();
        await DynamoDbTableSetup.CreateMissingAsync(Client, Tables.Names, log, default);

        var messages = (await Client.DescribeTableAsync(Tables.Names.Messages)).Table;
        var connections = (await Client.DescribeTableAsync(Tables.Names.Connections)).Table;

        Assert.Equal(
            [(DynamoDbTables.Messages.PartitionKey, KeyType.HASH), (DynamoDbTables.Messages.SortKey, KeyType.RANGE)],
            messages.KeySchema.Select(k => (k.AttributeName, k.KeyType)));
        Assert.Equal([(DynamoDbTables.Connections.PartitionKey, KeyType.HASH)], connections.KeySchema.Select(k => (k.AttributeName, k.KeyType)));
        var index = Assert.Single(connections.GlobalSecondaryIndexes);
        Assert.Equal(DynamoDbTables.Connections.ByRoomIndex, index.IndexName);
        Assert.Equal(
            [(DynamoDbTables.Connections.ByRoomPartitionKey, KeyType.HASH), (DynamoDbTables.Connections.ByRoomSortKey, KeyType.RANGE)],
            index.KeySchema.Select(k => (k.AttributeName, k.KeyType)));
        Assert.Equal(ProjectionType.ALL, index.Projection.ProjectionType);
        // dynalite has no UpdateTimeToLive: logged for each table, not thrown.
        Assert.Equal([401, 401, 401], log.EventIds);
    }

    // ---- crashes between writes (docs/dynamodb.md)

    [Fact]
    public async Task ASendIsOneReadThenThreeWritesInTheDocumentedOrder()
    {
        var (store, faults) = await Tables.FaultyStoreAsync();

        await store.AppendMessageAsync(Message("lobby", Alice, "c-1"), default);

        Assert.Equal(["GetItem", "UpdateItem", "PutItem", "PutItem"], faults.Operations);
    }

    [Theory]
    [InlineData(1, InjectedFault.BeforeSending)]
    [InlineData(1, InjectedFault.AfterApplying)]
    [InlineData(2, InjectedFault.BeforeSending)]
    [InlineData(2, InjectedFault.AfterApplying)]
    [InlineData(3, InjectedFault.BeforeSending)]
    [InlineData(3, InjectedFault.AfterApplying)]
    [InlineData(4, InjectedFault.BeforeSending)]
    [InlineData(4, InjectedFault.AfterApplying)]
    public async Task ARetryAfterACrashInASendCompletesItWithoutForking(int failingRequest, InjectedFault fault)
    {
        var (store, faults) = await Tables.FaultyStoreAsync();
        var original = Message("lobby", Alice, "c-1", "original");

        faults.FailRequest(failingRequest, fault);
        await Assert.ThrowsAnyAsync<Exception>(() => store.AppendMessageAsync(original, default));
        var retry = await store.AppendMessageAsync(Message("lobby", Alice, "c-1", "retried", minute: 1), default);
        var again = await store.AppendMessageAsync(Message("lobby", Alice, "c-1", "retried twice", minute: 2), default);

        var claimWasWritten = failingRequest == 4 || (failingRequest == 3 && fault == InjectedFault.AfterApplying);
        var messageWasWritten = failingRequest == 4 && fault == InjectedFault.AfterApplying;
        Assert.Equal(claimWasWritten ? original.Id : retry.Message.Id, retry.Message.Id);
        Assert.Equal(claimWasWritten ? "original" : "retried", retry.Message.Text);
        Assert.Equal(messageWasWritten, retry.Duplicate);
        Assert.True(again.Duplicate);
        Assert.Equal(retry.Message, again.Message);
        var history = await store.GetMessagesAsync("lobby", new HistoryQuery(null, null, 50), default);
        Assert.Equal(retry.Message, Assert.Single(history.Messages));
        var next = await store.AppendMessageAsync(Message("lobby", Alice, "c-2"), default);
        Assert.Equal(retry.Message.Seq + 1, next.Message.Seq);
    }

    [Theory]
    [InlineData(1, InjectedFault.BeforeSending)]
    [InlineData(1, InjectedFault.AfterApplying)]
    [InlineData(2, InjectedFault.BeforeSending)]
    [InlineData(2, InjectedFault.AfterApplying)]
    public async Task ARetryAfterACrashInAConnectBringsTheUserOnline(int failingRequest, InjectedFault fault)
    {
        var (store, faults) = await Tables.FaultyStoreAsync();
        var connection = Connection("c_1", "lobby", Alice);

        faults.FailRequest(failingRequest, fault);
        await Assert.ThrowsAnyAsync<Exception>(() => store.AddConnectionAsync(connection, default));
        var first = await store.AddConnectionAsync(connection, default);

        Assert.Equal(!(failingRequest == 2 && fault == InjectedFault.AfterApplying), first);
        Assert.Equal([Alice.Id], (await store.GetPresenceAsync("lobby", default)).Select(u => u.Id));
        Assert.False(await store.AddConnectionAsync(Connection("c_2", "lobby", Alice), default));
        Assert.False((await store.RemoveConnectionAsync("c_1", default))!.WasLastOfUser);
        Assert.True((await store.RemoveConnectionAsync("c_2", default))!.WasLastOfUser);
    }

    [Theory]
    [InlineData(1, InjectedFault.AfterApplying)]
    [InlineData(2, InjectedFault.BeforeSending)]
    [InlineData(2, InjectedFault.AfterApplying)]
    public async Task AfterACrashInADisconnectTheUsersNextConnectionStillComesOnline(int failingRequest, InjectedFault fault)
    {
        var (store, faults) = await Tables.FaultyStoreAsync();
        await store.AddConnectionAsync(Connection("c_1", "lobby", Alice), default);

        faults.FailRequest(failingRequest, fault);
        await Assert.ThrowsAnyAsync<Exception>(() => store.RemoveConnectionAsync("c_1", default));
        Assert.Null(await store.RemoveConnectionAsync("c_1", default));
        Assert.Empty(await store.GetPresenceAsync("lobby", default));

        Assert.True(await store.AddConnectionAsync(Connection("c_2", "lobby", Alice), default));
        Assert.True((await store.RemoveConnectionAsync("c_2", default))!.WasLastOfUser);
    }

    [Fact]
    public async Task AConnectionThatVanishedWithoutADisconnectDoesNotKeepItsUserOnline()
    {
        await Store.AddConnectionAsync(Connection("c_1", "lobby", Alice), default);
        await Store.AddConnectionAsync(Connection("c_2", "lobby", Alice), default);
        // As DynamoDB's TTL does: the item goes, the presence set is not told.
        await Client.DeleteItemAsync(Tables.Names.Connections, ConnectionKey("c_1"));

        var removed = await Store.RemoveConnectionAsync("c_2", default);

        Assert.True(removed!.WasLastOfUser);
        Assert.True(await Store.AddConnectionAsync(Connection("c_3", "lobby", Alice), default));
    }

    /// <summary>Records the event ids logged, to see that a tolerated failure was reported.</summary>
    private sealed class EventIdLogger : ILogger
    {
        private readonly List<int> _ids = [];

        public IReadOnlyList<int> EventIds
        {
            get
            {
                lock (_ids) return _ids.ToArray();
            }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_ids) _ids.Add(eventId.Id);
        }
    }
}
