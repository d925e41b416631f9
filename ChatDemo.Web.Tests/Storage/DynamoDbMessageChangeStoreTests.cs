using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Storage;
using ChatDemo.Web.Storage.DynamoDb;
using ChatDemo.Web.Tests.TestInfrastructure;
using static ChatDemo.Web.Tests.TestInfrastructure.DynaliteTables;
using Microsoft.Extensions.Logging.Abstractions;
using M = ChatDemo.Web.Storage.DynamoDb.DynamoDbTables.Messages;

namespace ChatDemo.Web.Tests.Storage;

/// <summary>
/// The message-change contract on DynamoDB (dynalite), fresh tables per test; plus what only
/// DynamoDB needs: a reader settling revisions that a writer took but left unfinished
/// (docs/dynamodb.md, "Settling").
/// </summary>
public sealed class DynamoDbMessageChangeStoreTests : MessageChangeStoreContract
{
    private DynaliteTables? _dynalite;

    private DynaliteTables Tables => _dynalite!;

    private IAmazonDynamoDB Client => Tables.Client;

    protected override async Task<IChatStore> CreateStoreAsync()
    {
        _dynalite = await DynaliteTables.CreateAsync();
        return Tables.Store();
    }

    // The message item and the claim of its send: a delete must empty both.
    protected override async Task<IReadOnlyList<string>> ReadStoredTextsAsync(string room, long seq)
    {
        var message = (await GetRawAsync(Key(room, seq)))!;
        var claim = (await GetRawAsync(Key(DynamoDbItemKeys.Claim(room, message[M.SenderId].S, message[M.ClientMessageId].S), 0)))!;
        return [message[M.Text].S, claim[M.Text].S];
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_dynalite is not null) await _dynalite.DisposeAsync();
    }

    [Fact]
    public async Task ARevisionTakenButNeverRecordedIsVoidedByTheNextReaderAndItsWriterCannotRecordItLater()
    {
        var sent = await SendAsync("lobby", Alice, "c-1");
        var taken = await TakeRevisionAsync("lobby"); // a writer that died (or stalls) after W1

        var page = await Store.GetMessagesAsync("lobby", new HistoryQuery(null, null, 50), default);

        Assert.Equal(taken, page.Revision);
        var record = (await GetRawAsync(Key(DynamoDbItemKeys.Changes("lobby"), taken)))!;
        Assert.True(record[M.Void].BOOL);
        await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => RecordAsync("lobby", taken, sent.Seq, version: 2));
        var edited = await ChangedAsync("lobby", sent.Seq, new MessageChange.Edit("later"), Alice);
        Assert.Equal((2L, taken + 1), (edited.Version, edited.Revision));
    }

    [Fact]
    public async Task ARecordedChangeThatNeverReachedItsMessageIsFencedSoItCanNeverLandUnderARevisionAlreadyReported()
    {
        var sent = await SendAsync("lobby", Alice, "c-1", "original");
        var taken = await TakeRevisionAsync("lobby");
        await RecordAsync("lobby", taken, sent.Seq, version: 2); // a writer that died (or stalls) after W2

        var changed = await Changes.GetChangedSinceAsync("lobby", 0, 50, default);

        // The reader reported the revision, so the message was moved past the stalled write's version.
        var fenced = Assert.Single(changed.Messages);
        Assert.Equal(taken, changed.Revision);
        Assert.Equal(sent with { Version = 2, Revision = taken }, fenced);
        // The stalled writer's W3 (condition: still version 1) can no longer succeed.
        await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => Client.PutItemAsync(new PutItemRequest
        {
            TableName = Tables.Names.Messages,
            Item = new Dictionary<string, AttributeValue>(Key("lobby", sent.Seq)) { [M.Text] = new() { S = "stale edit" } },
            ConditionExpression = "attribute_not_exists(#version)",
            ExpressionAttributeNames = new() { ["#version"] = M.Version },
        }));
        // A retried edit goes on from the fenced version under a new revision.
        var edited = await ChangedAsync("lobby", sent.Seq, new MessageChange.Edit("edited"), Alice);
        Assert.Equal((3L, taken + 1), (edited.Version, edited.Revision));
    }

    [Fact]
    public async Task ASettledRoomIsReadWithOneExtraGetOfTheCounter()
    {
        var sent = await SendAsync("lobby", Alice, "c-1");
        await ChangedAsync("lobby", sent.Seq, new MessageChange.Edit("edited"), Alice);
        await Store.GetMessagesAsync("lobby", new HistoryQuery(null, null, 50), default); // settles revision 1

        var counter = (await GetRawAsync(Key("lobby", 0)))!;

        Assert.Equal(1, Long(counter[M.LastRevision]));
        Assert.Equal(1, Long(counter[M.SettledRevision]));
    }

    [Fact]
    public async Task AChangeLeavesARecordOfItsRevisionThatExpiresWithTheMessage()
    {
        var sent = await SendAsync("lobby", Alice, "c-1");
        await ChangedAsync("lobby", sent.Seq, new MessageChange.Edit("edited"), Alice);

        var record = (await GetRawAsync(Key(DynamoDbItemKeys.Changes("lobby"), 1)))!;
        var message = (await GetRawAsync(Key("lobby", sent.Seq)))!;

        Assert.Equal((sent.Seq, 2L), (Long(record[M.ChangedSeq]), Long(record[M.Version])));
        Assert.Equal(Long(message[DynamoDbTables.TimeToLiveAttribute]), Long(record[DynamoDbTables.TimeToLiveAttribute]));
        Assert.Equal("edited", message[M.Text].S);
    }

    [Fact]
    public async Task StoreCallsPerChangeAreTheDocumentedOnes()
    {
        var (store, faults) = await Tables.FaultyStoreAsync();
        var sent = await SendAsync("lobby", Alice, "c-1");

        faults.ClearOperations();
        await store.ChangeMessageAsync("lobby", sent.Seq, new MessageChange.Edit("edited"), Alice, T0, default);
        var edit = faults.Operations.ToArray();
        faults.ClearOperations();
        await store.ChangeMessageAsync("lobby", sent.Seq, new MessageChange.Edit("edited"), Alice, T0, default);
        var resend = faults.Operations.ToArray();
        faults.ClearOperations();
        await store.GetMessagesAsync("lobby", new HistoryQuery(null, null, 50), default);
        var firstRead = faults.Operations.ToArray();
        faults.ClearOperations();
        await store.GetMessagesAsync("lobby", new HistoryQuery(null, null, 50), default);
        var settledRead = faults.Operations.ToArray();
        faults.ClearOperations();
        await store.ChangeMessageAsync("lobby", sent.Seq, new MessageChange.Delete(), Alice, T0, default);
        var delete = faults.Operations.ToArray();

        Assert.Equal(["GetItem", "UpdateItem", "PutItem", "PutItem"], edit);
        Assert.Equal(["GetItem"], resend);
        // The first read after a change settles it: the record, the message, the settled mark.
        Assert.Equal(["GetItem", "Query", "GetItem", "UpdateItem", "Query"], firstRead);
        Assert.Equal(["GetItem", "Query"], settledRead);
        Assert.Equal(["GetItem", "UpdateItem", "PutItem", "PutItem", "UpdateItem"], delete);
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
    public async Task AResentEditAfterACrashAtAnyStepIsAppliedExactlyOnce(int failingRequest, InjectedFault fault)
    {
        var (store, faults) = await Tables.FaultyStoreAsync();
        var sent = await SendAsync("lobby", Alice, "c-1", "draft");

        faults.FailRequest(failingRequest, fault);
        await Assert.ThrowsAnyAsync<Exception>(() => store.ChangeMessageAsync("lobby", sent.Seq, new MessageChange.Edit("final"), Alice, T0, default));
        await store.ChangeMessageAsync("lobby", sent.Seq, new MessageChange.Edit("final"), Alice, T0, default);

        var stored = (await store.GetMessageAsync("lobby", sent.Seq, default))!;
        Assert.Equal(("final", 2L), (stored.Text, stored.Version));
        var changed = await store.GetChangedSinceAsync("lobby", 0, 50, default);
        Assert.Equal([stored], changed.Messages);
        var counter = (await GetRawAsync(Key("lobby", 0)))!;
        Assert.Equal(Long(counter[M.LastRevision]), changed.Revision);
        Assert.Equal(changed.Revision, Long(counter[M.SettledRevision]));
    }

    private async Task<long> TakeRevisionAsync(string room)
    {
        var response = await Client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = Tables.Names.Messages,
            Key = Key(room, 0),
            UpdateExpression = "ADD #last :one",
            ExpressionAttributeNames = new() { ["#last"] = M.LastRevision },
            ExpressionAttributeValues = new() { [":one"] = new() { N = "1" } },
            ReturnValues = ReturnValue.UPDATED_NEW,
        });
        return Long(response.Attributes[M.LastRevision]);
    }

    private Task RecordAsync(string room, long revision, long seq, long version) => Client.PutItemAsync(new PutItemRequest
    {
        TableName = Tables.Names.Messages,
        Item = new Dictionary<string, AttributeValue>(Key(DynamoDbItemKeys.Changes(room), revision))
        {
            [M.ChangedSeq] = new() { N = seq.ToString(CultureInfo.InvariantCulture) },
            [M.Version] = new() { N = version.ToString(CultureInfo.InvariantCulture) },
        },
        ConditionExpression = "attribute_not_exists(#room)",
        ExpressionAttributeNames = new() { ["#room"] = M.PartitionKey },
    });

    private Task<Dictionary<string, AttributeValue>?> GetRawAsync(Dictionary<string, AttributeValue> key) => Tables.GetRawAsync(Tables.Names.Messages, key);

    private static Dictionary<string, AttributeValue> Key(string partition, long seq) => MessageKey(partition, seq);
}
