using Amazon.DynamoDBv2.Model;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Rooms;
using ChatDemo.Web.Storage.DynamoDb;
using ChatDemo.Web.Tests.TestInfrastructure;
using static ChatDemo.Web.Tests.TestInfrastructure.DynaliteTables;
using M = ChatDemo.Web.Storage.DynamoDb.DynamoDbTables.Messages;
using R = ChatDemo.Web.Storage.DynamoDb.DynamoDbTables.Rooms;

namespace ChatDemo.Web.Tests.Storage;

/// <summary>
/// The room-store contract on DynamoDB (dynalite), fresh tables per test; plus what only DynamoDB
/// shows: each atomic operation is one conditional write of one item (docs/dynamodb.md, "Rooms"),
/// and the indexes list exactly what they are for.
/// </summary>
public sealed class DynamoDbRoomStoreContractTests : RoomStoreContract
{
    private DynaliteTables? _dynalite;

    private DynaliteTables Tables => _dynalite!;

    protected override async Task<(IRoomStore Rooms, IMessageStore Messages)> CreateStoresAsync()
    {
        _dynalite = await DynaliteTables.CreateAsync();
        return (new DynamoDbRoomStore(Tables.Client, Tables.Names), Tables.Store());
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_dynalite is not null) await _dynalite.DisposeAsync();
    }

    [Fact]
    public async Task JoiningBanningAndCountingAUseAreEachOneWriteOfOneItem()
    {
        await Rooms.CreateRoomAsync(NewRoom("team-a", RoomVisibility.Private), default);
        var (client, faults) = await Tables.FaultyClientAsync();
        var rooms = new DynamoDbRoomStore(client, Tables.Names);

        await rooms.AddMemberAsync("team-a", Bob, RoomRole.Member, T0, default);
        await rooms.BanAsync("team-a", Bob.Id, Bob.Name, new RoomBan(T0, null), removeRole: true, expectedRole: RoomRole.Member, default);
        await rooms.UseInviteAsync("i_1", "team-a", 1, T0.AddDays(1), default);
        await rooms.MarkReadAsync("team-a", Bob.Id, 3, default);

        Assert.Equal(["UpdateItem", "UpdateItem", "UpdateItem", "UpdateItem"], faults.Operations);
        var banned = await StandingAsync("team-a", Bob.Id);
        Assert.Null(banned!.Role);
        Assert.Equal(new RoomBan(T0, null), banned.Ban);
    }

    [Theory]
    [InlineData(InjectedFault.BeforeSending)]
    [InlineData(InjectedFault.AfterApplying)]
    public async Task ACreationCutShortBeforeTheOwnersStandingStillHasItsOwner(InjectedFault fault)
    {
        var (client, faults) = await Tables.FaultyClientAsync();
        var rooms = new DynamoDbRoomStore(client, Tables.Names);

        // GetItem (the counter), PutItem (the record), UpdateItem (the owner's standing): the third fails.
        faults.FailRequest(3, fault);
        await Assert.ThrowsAnyAsync<Exception>(() => rooms.CreateRoomAsync(NewRoom("team-a", RoomVisibility.Private), default));

        var access = await Rooms.GetAccessAsync("team-a", Alice.Id, default);
        Assert.Equal(RoomRole.Owner, RoomPolicy.RoleOf(access, Alice.Id));
        Assert.Equal(RoomCreation.AlreadyCreated, await Rooms.CreateRoomAsync(NewRoom("team-a", owner: Bob), default));
        Assert.Equal(RoomRole.Owner, RoomPolicy.RoleOf(await Rooms.GetAccessAsync("team-a", Alice.Id, default), Alice.Id));
    }

    [Fact]
    public async Task TheMemberIndexListsExactlyTheStandingsThatHoldARole()
    {
        await Rooms.CreateRoomAsync(NewRoom("team-a", RoomVisibility.Private), default);
        await Rooms.AddMemberAsync("team-a", Bob, RoomRole.Member, T0, default);
        await Rooms.AddMemberAsync("team-a", Carol, RoomRole.Member, T0, default);
        await Rooms.RemoveMemberAsync("team-a", Carol.Id, RoomRole.Member, default);
        await Rooms.MuteAsync("team-a", "u_dave", "Dave", T0.AddHours(1), default);
        await Rooms.BanAsync("team-a", "u_erin", "Erin", new RoomBan(T0, null), removeRole: true, expectedRole: null, default);

        var indexed = new List<string>();
        foreach (var user in new[] { Alice.Id, Bob.Id, Carol.Id, "u_dave", "u_erin" })
        {
            var page = await Tables.Client.QueryAsync(new QueryRequest
            {
                TableName = Tables.Names.Rooms,
                IndexName = R.ByMemberIndex,
                KeyConditionExpression = "#member = :user",
                ExpressionAttributeNames = new() { ["#member"] = R.ByMemberPartitionKey },
                ExpressionAttributeValues = new() { [":user"] = new AttributeValue { S = user } },
            });
            indexed.AddRange((page.Items ?? []).Select(item => $"{user} in {item[R.PartitionKey].S}"));
        }

        Assert.Equal(["u_alice in team-a", "u_bob in team-a"], indexed);
    }

    [Fact]
    public async Task ARoomsActivityIsItsCounterItemInTheActivityIndexSetByTheSendItself()
    {
        var sent = await SendAsync("lobby", Bob, "c-1", minute: 3);

        var counter = await Tables.GetRawAsync(Tables.Names.Messages, MessageKey("lobby", 0));
        var shard = counter![M.ActivityShard].S;
        var page = await Tables.Client.QueryAsync(new QueryRequest
        {
            TableName = Tables.Names.Messages,
            IndexName = M.ByActivityIndex,
            KeyConditionExpression = "#shard = :shard",
            ExpressionAttributeNames = new() { ["#shard"] = M.ActivityShard },
            ExpressionAttributeValues = new() { [":shard"] = new AttributeValue { S = shard } },
        });

        var listed = Assert.Single(page.Items);
        Assert.Equal(("lobby", 1L, sent.SentAt.ToUnixTimeMilliseconds()),
            (listed[M.PartitionKey].S, Long(listed[M.LastSeq]), Long(listed[M.LastMessageAt])));
        Assert.InRange(int.Parse(shard, System.Globalization.CultureInfo.InvariantCulture), 0, M.ActivityShards - 1);
        // The rooms spread over the index's partitions.
        var shards = Enumerable.Range(0, 64).Select(i => DynamoDbItemKeys.ActivityShard($"room-{i}")).Distinct().Count();
        Assert.Equal(M.ActivityShards, shards);
    }

    [Fact]
    public async Task AnInvitesUseCountExpiresWithTheInvite()
    {
        await Rooms.UseInviteAsync("i_1", "team-a", 3, T0.AddDays(2), default);

        var item = await Tables.GetRawAsync(Tables.Names.Rooms, RoomsKey("#invite#i_1", "uses"));

        Assert.Equal((1L, "team-a", T0.AddDays(2).ToUnixTimeSeconds()),
            (Long(item![R.Uses]), item[R.Room].S, Long(item[DynamoDbTables.TimeToLiveAttribute])));
    }
}
