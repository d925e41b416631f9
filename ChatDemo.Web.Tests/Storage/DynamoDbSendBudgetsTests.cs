using ChatDemo.Web.Chat;
using ChatDemo.Web.Configuration;
using ChatDemo.Web.Storage.DynamoDb;
using ChatDemo.Web.Tests.TestInfrastructure;
using Microsoft.Extensions.Time.Testing;
using static ChatDemo.Web.Tests.TestInfrastructure.DynaliteTables;

namespace ChatDemo.Web.Tests.Storage;

/// <summary>
/// AWS mode's send budgets (protocol.md 11.7, 11.8; docs/dynamodb.md, "Send budgets") on dynalite:
/// one budget per (room, user) in the connections table, taken with conditional writes only, so that
/// callers racing from separate clients (as separate Lambda instances would) never share out more
/// than the burst; refilled by time; the flood strikes counted on the connection's item. The clock
/// is a <see cref="FakeTimeProvider"/>, so the counts are exact whatever the machine's load.
/// </summary>
public sealed class DynamoDbSendBudgetsTests : IAsyncLifetime
{
    private static readonly ConnectionLimitOptions Limits = new() { SendBurst = 8, SendPerSecond = 4, FloodStrikes = 3, FloodWindowSeconds = 10 };

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private DynaliteTables _tables = null!;

    public async Task InitializeAsync() => _tables = await DynaliteTables.CreateAsync();

    public async Task DisposeAsync() => await _tables.DisposeAsync();

    private DynamoDbSendBudgets Budgets() => new(_tables.Client, _tables.Names, Limits, _time);

    [Fact]
    public async Task ParallelCallersOnSeparateClientsNeverTakeMoreThanTheBurst()
    {
        // Four "instances", each with its own DynamoDB client, 10 callers each, all at one instant.
        var instances = new List<DynamoDbSendBudgets>();
        for (var i = 0; i < 4; i++)
        {
            var (client, _) = await _tables.FaultyClientAsync();
            instances.Add(new DynamoDbSendBudgets(client, _tables.Names, Limits, _time));
        }

        var taken = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => instances[i % 4].TryTakeAsync("lobby", "u_alice", default)));

        Assert.Equal(Limits.SendBurst, taken.Count(t => t));
        Assert.False(await Budgets().TryTakeAsync("lobby", "u_alice", default));
    }

    [Fact]
    public async Task ParallelCallersAfterARefillShareOnlyWhatRefilled()
    {
        var budgets = Budgets();
        for (var i = 0; i < Limits.SendBurst; i++) Assert.True(await budgets.TryTakeAsync("lobby", "u_alice", default));

        // 4 a second: half a second gives back two tokens, to twenty racing callers.
        _time.Advance(TimeSpan.FromMilliseconds(500));
        var taken = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Budgets().TryTakeAsync("lobby", "u_alice", default)));

        Assert.Equal(2, taken.Count(t => t));
    }

    [Fact]
    public async Task TheBudgetRefillsAtTheRateUpToTheBurstAndNoFurther()
    {
        var budgets = Budgets();
        Assert.Equal(Limits.SendBurst, await TakeAllAsync(budgets, "lobby", "u_alice"));

        _time.Advance(TimeSpan.FromMilliseconds(249));
        Assert.False(await budgets.TryTakeAsync("lobby", "u_alice", default));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await budgets.TryTakeAsync("lobby", "u_alice", default));
        Assert.False(await budgets.TryTakeAsync("lobby", "u_alice", default));

        // A long pause fills the bucket: the burst again, not the pause's worth.
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(Limits.SendBurst, await TakeAllAsync(budgets, "lobby", "u_alice"));
    }

    [Fact]
    public async Task OtherUsersAndOtherRoomsHaveTheirOwnBudgets()
    {
        var budgets = Budgets();
        Assert.Equal(Limits.SendBurst, await TakeAllAsync(budgets, "lobby", "u_alice"));

        Assert.Equal(Limits.SendBurst, await TakeAllAsync(budgets, "lobby", "u_bob"));
        Assert.Equal(Limits.SendBurst, await TakeAllAsync(budgets, "garden", "u_alice"));
    }

    [Fact]
    public async Task TheBudgetIsOneItemWithAnExpiryWhenItIsFullAgainAndCarriesNoRoomForTheByRoomIndex()
    {
        var budgets = Budgets();
        var start = _time.GetUtcNow();
        for (var i = 0; i < 3; i++) Assert.True(await budgets.TryTakeAsync("lobby", "u_alice", default));

        var item = await _tables.GetRawAsync(_tables.Names.Connections, ConnectionKey("#send#lobby#u_alice"));

        Assert.NotNull(item);
        var tat = Long(item[DynamoDbTables.Connections.SendTat]);
        Assert.Equal(start.ToUnixTimeMilliseconds() * 1000 + 3 * 250_000, tat);
        var expiresAt = Long(item[DynamoDbTables.TimeToLiveAttribute]);
        Assert.InRange(expiresAt, (tat + 999_999) / 1_000_000, start.AddSeconds(Limits.SendBurst / Limits.SendPerSecond + 1).ToUnixTimeSeconds());
        Assert.False(item.ContainsKey(DynamoDbTables.Connections.ByRoomPartitionKey));
    }

    [Fact]
    public async Task TheConnectionFloodsAtTheThirdStrikeWithinItsWindowAndAFreshWindowStartsAgain()
    {
        var store = _tables.Store();
        var connection = new ChatConnection("conn-1", "lobby", new ChatUser("u_alice", "Alice"), ChatTime.Truncate(_time.GetUtcNow()));
        await store.AddConnectionAsync(connection, default);
        var limit = Budgets().ForConnection(connection);

        Assert.False(await limit.RecordStrikeAsync(default));
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(await limit.RecordStrikeAsync(default));
        _time.Advance(TimeSpan.FromSeconds(1));
        // The window of the first strike has ended: this one opens a new window.
        Assert.False(await limit.RecordStrikeAsync(default));
        Assert.False(await limit.RecordStrikeAsync(default));
        Assert.True(await limit.RecordStrikeAsync(default));

        // The connection's record is intact for everything else.
        Assert.Equal(connection, await store.GetConnectionAsync("conn-1", default));
    }

    [Fact]
    public async Task AStrikeOnAConnectionTheStoreNoLongerKnowsCountsNothingAndCreatesNoItem()
    {
        var limit = Budgets().ForConnection(new ChatConnection("gone-1", "lobby", new ChatUser("u_alice", "Alice"), _time.GetUtcNow()));

        for (var i = 0; i < Limits.FloodStrikes + 1; i++) Assert.False(await limit.RecordStrikeAsync(default));
        Assert.Null(await _tables.GetRawAsync(_tables.Names.Connections, ConnectionKey("gone-1")));
    }

    [Fact]
    public async Task AFailedWriteIsAnErrorNotARefusal()
    {
        var (client, faults) = await _tables.FaultyClientAsync();
        var budgets = new DynamoDbSendBudgets(client, _tables.Names, Limits, _time);
        faults.FailRequest(1, InjectedFault.BeforeSending);

        // The chat core answers it with `internal` (send it again), never with `rate_limited`.
        await Assert.ThrowsAnyAsync<Exception>(() => budgets.TryTakeAsync("lobby", "u_alice", default));
        Assert.True(await budgets.TryTakeAsync("lobby", "u_alice", default));
    }

    private static async Task<int> TakeAllAsync(DynamoDbSendBudgets budgets, string room, string userId)
    {
        var taken = 0;
        while (await budgets.TryTakeAsync(room, userId, default))
        {
            if (++taken > 100) break;
        }
        return taken;
    }
}
