using ChatDemo.Web.Chat;
using ChatDemo.Web.Rooms;
using ChatDemo.Web.Storage.Sqlite;
using ChatDemo.Web.Tests.TestInfrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace ChatDemo.Web.Tests.Storage;

/// <summary>
/// <see cref="RoomAuthority"/> on a real SQLite room store: upgrades always read the store; frames
/// may reuse a read for a second, and never one made before a change this process announced.
/// </summary>
public sealed class RoomAuthorityTests : IAsyncLifetime
{
    private static readonly ChatUser Olga = new("u_olga", "Olga");
    private static readonly ChatUser Bob = new("u_bob", "Bob");

    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero));
    private SqliteChatStore _database = null!;
    private SqliteRoomStore _rooms = null!;
    private RoomAuthority _authority = null!;

    public async Task InitializeAsync()
    {
        _database = new SqliteChatStore(_folder.File("chat.db"));
        await _database.InitializeAsync(default);
        _rooms = new SqliteRoomStore(_database);
        _authority = new RoomAuthority(_rooms, _time);
        await _rooms.CreateRoomAsync(new Room("team-a", RoomVisibility.Public, null, Olga, _time.GetUtcNow()), default);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private Task MuteBobBehindTheAuthoritysBackAsync() => _rooms.MuteAsync("team-a", Bob.Id, Bob.Name, _time.GetUtcNow().AddMinutes(10), default);

    [Fact]
    public async Task AFrameMayUseWhatWasReadWithinTheLastSecond()
    {
        Assert.Null((await _authority.GetFrameRightsAsync("team-a", Bob, false, default)).MutedUntil);
        await MuteBobBehindTheAuthoritysBackAsync();

        _time.Advance(TimeSpan.FromMilliseconds(900));
        Assert.Null((await _authority.GetFrameRightsAsync("team-a", Bob, false, default)).MutedUntil);

        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.NotNull((await _authority.GetFrameRightsAsync("team-a", Bob, false, default)).MutedUntil);
    }

    [Fact]
    public async Task AnUpgradeAlwaysReadsTheStore()
    {
        await _authority.GetFrameRightsAsync("team-a", Bob, false, default);
        await _rooms.BanAsync("team-a", Bob.Id, Bob.Name, new RoomBan(_time.GetUtcNow(), null), removeRole: false, expectedRole: null, default);

        Assert.Equal("Banned", (await _authority.GetRightsAsync("team-a", Bob, false, default)).Refusal?.Title);
    }

    [Fact]
    public async Task NothingReadBeforeAnAnnouncedChangeIsUsedAgain()
    {
        await _authority.GetFrameRightsAsync("team-a", Bob, false, default);
        await MuteBobBehindTheAuthoritysBackAsync();

        _authority.Forget();

        Assert.Equal(_time.GetUtcNow().AddMinutes(10), (await _authority.GetFrameRightsAsync("team-a", Bob, false, default)).MutedUntil);
    }

    [Fact]
    public async Task AMuteEndsOnTimeEvenInAReusedRead()
    {
        await _rooms.MuteAsync("team-a", Bob.Id, Bob.Name, _time.GetUtcNow().AddMilliseconds(500), default);
        Assert.NotNull((await _authority.GetFrameRightsAsync("team-a", Bob, false, default)).MutedUntil);

        _time.Advance(TimeSpan.FromMilliseconds(500));

        Assert.Null((await _authority.GetFrameRightsAsync("team-a", Bob, false, default)).MutedUntil);
    }
}
