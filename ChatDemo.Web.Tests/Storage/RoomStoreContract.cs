using ChatDemo.Web.Chat;
using ChatDemo.Web.Rooms;

namespace ChatDemo.Web.Tests.Storage;

/// <summary>
/// The contract of <see cref="IRoomStore"/> (protocol.md section 11), one suite for every engine:
/// each subclass supplies a fresh, empty room store and the message store of the same database
/// per test, on a real engine. Times given to the store are whole milliseconds and come back equal.
/// </summary>
public abstract class RoomStoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);
    protected static readonly ChatUser Alice = new("u_alice", "Alice");
    protected static readonly ChatUser Bob = new("u_bob", "Bob");
    protected static readonly ChatUser Carol = new("u_carol", "Carol");

    private (IRoomStore Rooms, IMessageStore Messages)? _stores;

    protected IRoomStore Rooms => _stores?.Rooms ?? throw new InvalidOperationException("The stores are created in InitializeAsync.");

    protected IMessageStore Messages => _stores?.Messages ?? throw new InvalidOperationException("The stores are created in InitializeAsync.");

    /// <summary>A fresh, empty room store and the message store of the same database, on the real engine.</summary>
    protected abstract Task<(IRoomStore Rooms, IMessageStore Messages)> CreateStoresAsync();

    public async Task InitializeAsync() => _stores = await CreateStoresAsync();

    public virtual async Task DisposeAsync()
    {
        if (_stores?.Rooms is IAsyncDisposable rooms) await rooms.DisposeAsync();
        if (_stores?.Messages is IAsyncDisposable messages && !ReferenceEquals(messages, _stores?.Rooms)) await messages.DisposeAsync();
    }

    protected static Room NewRoom(string name, RoomVisibility visibility = RoomVisibility.Public, ChatUser? owner = null, int minute = 0, string? title = null) =>
        new(name, visibility, title, owner ?? Alice, T0.AddMinutes(minute));

    protected async Task<ChatMessage> SendAsync(string room, ChatUser sender, string clientMessageId, int minute = 0)
    {
        var sentAt = T0.AddMinutes(minute);
        var result = await Messages.AppendMessageAsync(
            new NewMessage(room, Ids.NewMessageId(), clientMessageId, sender, "hi", sentAt, sentAt.AddDays(30)), default);
        return result.Message;
    }

    protected async Task<RoomStanding?> StandingAsync(string room, string userId) => (await Rooms.GetAccessAsync(room, userId, default)).Standing;

    private static ModerationRecord Record(string room, string action, int second, string userId = "u_bob", string? userName = "Bob") =>
        new(ModerationRecord.NewId(), room, action, Alice, userId, userName, T0.AddSeconds(second));

    // ---- creating rooms

    [Fact]
    public async Task CreatingARoomRecordsItAndItsOwner()
    {
        var room = NewRoom("team-a", RoomVisibility.Private, title: "Team A");

        Assert.Equal(RoomCreation.Created, await Rooms.CreateRoomAsync(room, default));

        var access = await Rooms.GetAccessAsync("team-a", Alice.Id, default);
        Assert.Equal(room, access.Room);
        Assert.Equal(RoomRole.Owner, access.Standing?.Role);
        Assert.Equal(room.CreatedAt, access.Standing?.JoinedAt);
        Assert.Equal("Alice", access.Standing?.Name);
        Assert.Equal(RoomRole.Owner, RoomPolicy.RoleOf(access, Alice.Id));
    }

    [Fact]
    public async Task ARoomIsCreatedOnceAndTheSecondCreationChangesNothing()
    {
        await Rooms.CreateRoomAsync(NewRoom("team-a", title: "First"), default);

        var second = await Rooms.CreateRoomAsync(NewRoom("team-a", RoomVisibility.Private, owner: Bob, minute: 1, title: "Second"), default);

        Assert.Equal(RoomCreation.AlreadyCreated, second);
        var access = await Rooms.GetAccessAsync("team-a", Bob.Id, default);
        Assert.Equal(NewRoom("team-a", title: "First"), access.Room);
        Assert.Null(access.Standing);
    }

    [Fact]
    public async Task ARoomWithMessagesCannotBeClaimed()
    {
        await SendAsync("lobby", Bob, "c-1");

        Assert.Equal(RoomCreation.HasMessages, await Rooms.CreateRoomAsync(NewRoom("lobby"), default));

        Assert.Equal(new RoomAccess(null, null), await Rooms.GetAccessAsync("lobby", Alice.Id, default));
        Assert.Equal(RoomCreation.Created, await Rooms.CreateRoomAsync(NewRoom("other"), default));
    }

    [Fact]
    public async Task TwoRacingCreationsOfOneRoomMakeOneOwner()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Rooms.CreateRoomAsync(NewRoom("race", owner: new ChatUser($"u_{i}", $"User {i}")), default)));

        Assert.Equal(1, results.Count(r => r == RoomCreation.Created));
        Assert.Equal(7, results.Count(r => r == RoomCreation.AlreadyCreated));
        var members = await Rooms.ListMembersAsync("race", default);
        var owner = Assert.Single(members);
        Assert.Equal((await Rooms.GetAccessAsync("race", owner.UserId, default)).Room!.Owner.Id, owner.UserId);
    }

    [Fact]
    public async Task AnUnknownRoomAndUserHaveNoRecords()
    {
        Assert.Equal(new RoomAccess(null, null), await Rooms.GetAccessAsync("nowhere", Alice.Id, default));
        Assert.Null(await Rooms.GetSummaryAsync("nowhere", default));
        Assert.Empty(await Rooms.ListMembersAsync("nowhere", default));
    }

    // ---- summaries and lists

    [Fact]
    public async Task ASummaryCarriesTheRoomsLastSeqAndNewestMessageTime()
    {
        await Rooms.CreateRoomAsync(NewRoom("team-a"), default);
        Assert.Equal(new RoomSummary("team-a", NewRoom("team-a"), 0, null), await Rooms.GetSummaryAsync("team-a", default));

        await SendAsync("team-a", Alice, "c-1", minute: 1);
        var last = await SendAsync("team-a", Bob, "c-2", minute: 2);
        await SendAsync("ownerless", Bob, "c-1", minute: 3);

        Assert.Equal(new RoomSummary("team-a", NewRoom("team-a"), 2, last.SentAt), await Rooms.GetSummaryAsync("team-a", default));
        Assert.Equal(new RoomSummary("ownerless", null, 1, T0.AddMinutes(3)), await Rooms.GetSummaryAsync("ownerless", default));
    }

    [Fact]
    public async Task ThePublicListHasCreatedPublicRoomsAndUsedOwnerlessRoomsNewestFirstNeverAPrivateOne()
    {
        await Rooms.CreateRoomAsync(NewRoom("quiet-b"), default);
        await Rooms.CreateRoomAsync(NewRoom("quiet-a"), default);
        await Rooms.CreateRoomAsync(NewRoom("busy"), default);
        await Rooms.CreateRoomAsync(NewRoom("secret", RoomVisibility.Private), default);
        await SendAsync("busy", Alice, "c-1", minute: 5);
        await SendAsync("lobby", Bob, "c-1", minute: 7);
        await SendAsync("secret", Alice, "c-1", minute: 9);

        var listed = await Rooms.ListPublicRoomsAsync(50, default);

        Assert.Equal(["lobby", "busy", "quiet-a", "quiet-b"], listed.Select(r => r.Name));
        Assert.Equal(new RoomSummary("lobby", null, 1, T0.AddMinutes(7)), listed[0]);
        Assert.Equal(NewRoom("busy"), listed[1].Created);
        Assert.Equal(["lobby", "busy"], (await Rooms.ListPublicRoomsAsync(2, default)).Select(r => r.Name));
    }

    [Fact]
    public async Task AUsersRoomsAreThoseWhereTheyHoldARole()
    {
        await Rooms.CreateRoomAsync(NewRoom("mine", RoomVisibility.Private, owner: Bob), default);
        await Rooms.CreateRoomAsync(NewRoom("joined", RoomVisibility.Private), default);
        await Rooms.CreateRoomAsync(NewRoom("left"), default);
        await Rooms.CreateRoomAsync(NewRoom("banned-from", RoomVisibility.Private), default);
        await Rooms.CreateRoomAsync(NewRoom("elsewhere", RoomVisibility.Private), default);
        await Rooms.AddMemberAsync("joined", Bob, RoomRole.Member, T0, default);
        await Rooms.AddMemberAsync("left", Bob, RoomRole.Member, T0, default);
        await Rooms.RemoveMemberAsync("left", Bob.Id, RoomRole.Member, default);
        await Rooms.BanAsync("banned-from", Bob.Id, Bob.Name, new RoomBan(T0, null), removeRole: true, expectedRole: null, default);
        await SendAsync("joined", Alice, "c-1", minute: 4);

        var rooms = await Rooms.ListRoomsOfUserAsync(Bob.Id, default);

        Assert.Equal([("joined", RoomRole.Member), ("mine", RoomRole.Owner)],
            rooms.Select(r => (r.Room.Name, r.Role)).OrderBy(r => r.Name, StringComparer.Ordinal));
        Assert.Equal(new RoomSummary("joined", NewRoom("joined", RoomVisibility.Private), 1, T0.AddMinutes(4)), rooms.Single(r => r.Room.Name == "joined").Room);
        Assert.Empty(await Rooms.ListRoomsOfUserAsync(Carol.Id, default));
    }

    // ---- members and roles

    [Fact]
    public async Task JoiningGivesTheRoleOnceAndNeverLowersOne()
    {
        await Rooms.CreateRoomAsync(NewRoom("team-a"), default);

        var (added, standing) = await Rooms.AddMemberAsync("team-a", Bob, RoomRole.Member, T0.AddMinutes(1), default);
        Assert.Equal(MemberAddition.Added, added);
        Assert.Equal((RoomRole.Member, T0.AddMinutes(1), "Bob"), (standing.Role!.Value, standing.JoinedAt!.Value, standing.Name!));

        await Rooms.SetRoleAsync("team-a", Bob.Id, RoomRole.Member, RoomRole.Moderator, default);
        var (again, kept) = await Rooms.AddMemberAsync("team-a", Bob, RoomRole.Member, T0.AddMinutes(2), default);
        Assert.Equal(MemberAddition.AlreadyMember, again);
        Assert.Equal((RoomRole.Moderator, T0.AddMinutes(1)), (kept.Role!.Value, kept.JoinedAt!.Value));
        Assert.Equal(kept, await StandingAsync("team-a", Bob.Id));
    }

    [Fact]
    public async Task ABannedUserCannotJoinUntilTheBanEnds()
    {
        await Rooms.CreateRoomAsync(NewRoom("team-a"), default);
        await Rooms.BanAsync("team-a", Bob.Id, Bob.Name, new RoomBan(T0, T0.AddMinutes(10)), removeRole: true, expectedRole: null, default);

        var (during, standing) = await Rooms.AddMemberAsync("team-a", Bob, RoomRole.Member, T0.AddMinutes(5), default);
        Assert.Equal(MemberAddition.Banned, during);
        Assert.Null(standing.Role);

        var (after, joined) = await Rooms.AddMemberAsync("team-a", Bob, RoomRole.Member, T0.AddMinutes(11), default);
        Assert.Equal(MemberAddition.Added, after);
        Assert.Equal(RoomRole.Member, joined.Role);
    }

    [Fact]
    public async Task MembersAreThoseWithARoleOwnerIncluded()
    {
        await Rooms.CreateRoomAsync(NewRoom("team-a"), default);
        await Rooms.AddMemberAsync("team-a", Bob, RoomRole.Member, T0.AddMinutes(1), default);
        await Rooms.MuteAsync("team-a", Carol.Id, Carol.Name, T0.AddHours(1), default);

        var members = await Rooms.ListMembersAsync("team-a", default);

        Assert.Equal([(Alice.Id, RoomRole.Owner), (Bob.Id, RoomRole.Member)],
            members.Select(m => (m.UserId, m.Role!.Value)).OrderBy(m => m.UserId, StringComparer.Ordinal));
        Assert.Empty(await Rooms.ListMembersAsync("other", default));
    }

    [Fact]
    public async Task ARoleChangesOnlyFromTheRoleTheCheckSaw()
    {
        await Rooms.CreateRoomAsync(NewRoom("team-a"), default);
        await Rooms.AddMemberAsync("team-a", Bob, RoomRole.Member, T0.AddMinutes(1), default);

        var promoted = await Rooms.SetRoleAsync("team-a", Bob.Id, RoomRole.Member, RoomRole.Moderator, default);
        Assert.Equal((RoomRole.Moderator, T0.AddMinutes(1)), (promoted!.Role!.Value, promoted.JoinedAt!.Value));

        Assert.Null(await Rooms.SetRoleAsync("team-a", Bob.Id, RoomRole.Member, RoomRole.Member, default));
        Assert.Null(await Rooms.SetRoleAsync("team-a", Carol.Id, RoomRole.Member, RoomRole.Moderator, default));
        Assert.Equal(RoomRole.Moderator, (await StandingAsync("team-a", Bob.Id))!.Role);
        Assert.Null(await StandingAsync("team-a", Carol.Id));
    }

    [Fact]
    public async Task TwoRacingRoleChangesFromOneRoleApplyOnce()
    {
        await Rooms.CreateRoomAsync(NewRoom("team-a"), default);
        await Rooms.AddMemberAsync("team-a", Bob, RoomRole.Member, T0, default);

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            Rooms.SetRoleAsync("team-a", Bob.Id, RoomRole.Member, RoomRole.Moderator, default)));

        Assert.Equal(1, results.Count(r => r is not null));
    }

    [Fact]
    public async Task RemovingTakesTheRoleAndKeepsTheSanctions()
    {
        await Rooms.CreateRoomAsync(NewRoom("team-a"), default);
        await Rooms.AddMemberAsync("team-a", Bob, RoomRole.Member, T0, default);
        await Rooms.MuteAsync("team-a", Bob.Id, Bob.Name, T0.AddHours(1), default);

        Assert.False(await Rooms.RemoveMemberAsync("team-a", Bob.Id, RoomRole.Moderator, default));
        Assert.Equal(RoomRole.Member, (await StandingAsync("team-a", Bob.Id))!.Role);

        Assert.True(await Rooms.RemoveMemberAsync("team-a", Bob.Id, RoomRole.Member, default));
        var standing = await StandingAsync("team-a", Bob.Id);
        Assert.Null(standing?.Role);
        Assert.Equal(T0.AddHours(1), standing?.MutedUntil);
        Assert.False(await Rooms.RemoveMemberAsync("team-a", Bob.Id, RoomRole.Member, default));
        Assert.DoesNotContain(await Rooms.ListMembersAsync("team-a", default), m => m.UserId == Bob.Id);
    }

    // ---- mutes and bans

    [Fact]
    public async Task AMuteIsKeptUntilLiftedAndKeepsTheRole()
    {
        await Rooms.CreateRoomAsync(NewRoom("team-a"), default);
        await Rooms.AddMemberAsync("team-a", Bob, RoomRole.Member, T0, default);

        await Rooms.MuteAsync("team-a", Bob.Id, Bob.Name, T0.AddMinutes(10), default);
        Assert.Equal((T0.AddMinutes(10), RoomRole.Member), ((await StandingAsync("team-a", Bob.Id))!.MutedUntil!.Value, (await StandingAsync("team-a", Bob.Id))!.Role!.Value));

        await Rooms.MuteAsync("team-a", Bob.Id, Bob.Name, null, default);
        Assert.Null((await StandingAsync("team-a", Bob.Id))!.MutedUntil);

        await Rooms.MuteAsync("team-a", Carol.Id, null, T0.AddMinutes(1), default);
        var stranger = await StandingAsync("team-a", Carol.Id);
        Assert.Equal((T0.AddMinutes(1), (RoomRole?)null, (string?)null), (stranger!.MutedUntil!.Value, stranger.Role, stranger.Name));
    }

    [Fact]
    public async Task ABanInAPrivateRoomTakesTheMembershipInTheSameWrite()
    {
        await Rooms.CreateRoomAsync(NewRoom("team-a", RoomVisibility.Private), default);
        await Rooms.AddMemberAsync("team-a", Bob, RoomRole.Member, T0, default);

        Assert.False(await Rooms.BanAsync("team-a", Bob.Id, Bob.Name, new RoomBan(T0, null), removeRole: true, expectedRole: RoomRole.Moderator, default));
        Assert.Equal(RoomRole.Member, (await StandingAsync("team-a", Bob.Id))!.Role);
        Assert.Null((await StandingAsync("team-a", Bob.Id))!.Ban);

        Assert.True(await Rooms.BanAsync("team-a", Bob.Id, Bob.Name, new RoomBan(T0.AddMinutes(1), null), removeRole: true, expectedRole: RoomRole.Member, default));
        var banned = await StandingAsync("team-a", Bob.Id);
        Assert.Null(banned!.Role);
        Assert.Equal(new RoomBan(T0.AddMinutes(1), null), banned.Ban);
    }

    [Fact]
    public async Task ABanInAPublicRoomKeepsTheRoleAndUnbanningLiftsOnlyTheBan()
    {
        await Rooms.CreateRoomAsync(NewRoom("team-a"), default);
        await Rooms.AddMemberAsync("team-a", Bob, RoomRole.Member, T0, default);

        Assert.True(await Rooms.BanAsync("team-a", Bob.Id, Bob.Name, new RoomBan(T0, T0.AddDays(1)), removeRole: false, expectedRole: RoomRole.Member, default));
        Assert.Equal((RoomRole.Member, new RoomBan(T0, T0.AddDays(1))), ((await StandingAsync("team-a", Bob.Id))!.Role!.Value, (await StandingAsync("team-a", Bob.Id))!.Ban!));

        await Rooms.UnbanAsync("team-a", Bob.Id, default);
        Assert.Equal((RoomRole.Member, (RoomBan?)null), ((await StandingAsync("team-a", Bob.Id))!.Role!.Value, (await StandingAsync("team-a", Bob.Id))!.Ban));
        await Rooms.UnbanAsync("team-a", Carol.Id, default);
        Assert.Null((await StandingAsync("team-a", Carol.Id))?.Ban);
    }

    [Fact]
    public async Task AUserWithNoStandingCanBeBanned()
    {
        await Rooms.CreateRoomAsync(NewRoom("team-a"), default);

        Assert.True(await Rooms.BanAsync("team-a", Carol.Id, null, new RoomBan(T0, null), removeRole: true, expectedRole: null, default));

        Assert.Equal(new RoomBan(T0, null), (await StandingAsync("team-a", Carol.Id))!.Ban);
        Assert.False(await Rooms.BanAsync("team-a", Bob.Id, null, new RoomBan(T0, null), removeRole: true, expectedRole: RoomRole.Member, default));
        Assert.Null(await StandingAsync("team-a", Bob.Id));
    }

    // ---- invitations

    [Fact]
    public async Task AnInvitesUsesAreCountedUpToItsMaximum()
    {
        var uses = new List<int?>();
        for (var i = 0; i < 4; i++) uses.Add(await Rooms.UseInviteAsync("i_1", "team-a", 3, T0.AddDays(1), default));

        Assert.Equal([1, 2, 3, null], uses);
        Assert.Equal(1, await Rooms.UseInviteAsync("i_2", "team-a", 3, T0.AddDays(1), default));
    }

    [Fact]
    public async Task AnUnlimitedInviteCountsEveryUse()
    {
        for (var i = 1; i <= 5; i++) Assert.Equal(i, await Rooms.UseInviteAsync("i_1", "team-a", null, T0.AddDays(1), default));
    }

    [Fact]
    public async Task RacingForTheLastUsesExactlyTheMaximumWin()
    {
        var uses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Rooms.UseInviteAsync("i_1", "team-a", 5, T0.AddDays(1), default)));

        Assert.Equal([1, 2, 3, 4, 5], uses.Where(u => u is not null).Select(u => u!.Value).Order());
    }

    // ---- moderation records

    [Fact]
    public async Task ModerationRecordsListNewestFirstPerRoom()
    {
        var first = Record("team-a", ModerationActions.Mute, 1) with { Until = T0.AddMinutes(10), Reason = "spam" };
        var second = Record("team-a", ModerationActions.Role, 2) with { Role = RoomRole.Moderator };
        var third = Record("team-a", ModerationActions.Ban, 3, userId: "u_x", userName: null);
        await Rooms.AddModerationRecordAsync(first, default);
        await Rooms.AddModerationRecordAsync(second, default);
        await Rooms.AddModerationRecordAsync(third, default);
        await Rooms.AddModerationRecordAsync(Record("other", ModerationActions.Kick, 4), default);

        Assert.Equal([third, second, first], await Rooms.ListModerationAsync("team-a", 10, default));
        Assert.Equal([third, second], await Rooms.ListModerationAsync("team-a", 2, default));
        Assert.Empty(await Rooms.ListModerationAsync("nowhere", 10, default));
    }

    // ---- read positions

    [Fact]
    public async Task AReadPositionOnlyMovesForward()
    {
        Assert.Equal(5, await Rooms.MarkReadAsync("team-a", Bob.Id, 5, default));
        Assert.Equal(5, await Rooms.MarkReadAsync("team-a", Bob.Id, 3, default));
        Assert.Equal(9, await Rooms.MarkReadAsync("team-a", Bob.Id, 9, default));
        await Rooms.MarkReadAsync("lobby", Bob.Id, 2, default);
        await Rooms.MarkReadAsync("team-a", Carol.Id, 1, default);

        var positions = await Rooms.GetReadPositionsAsync(Bob.Id, ["team-a", "lobby", "never"], default);

        Assert.Equal(new Dictionary<string, long> { ["team-a"] = 9, ["lobby"] = 2 }, positions);
        Assert.Equal(new Dictionary<string, long> { ["lobby"] = 2 }, await Rooms.GetReadPositionsAsync(Bob.Id, ["lobby"], default));
        Assert.Empty(await Rooms.GetReadPositionsAsync(Alice.Id, ["team-a"], default));
    }

    [Fact]
    public async Task RacingReadPositionsKeepTheHighest()
    {
        await Task.WhenAll(Enumerable.Range(1, 20).Select(seq => Rooms.MarkReadAsync("team-a", Bob.Id, seq, default)));

        Assert.Equal(20, (await Rooms.GetReadPositionsAsync(Bob.Id, ["team-a"], default))["team-a"]);
    }

    [Fact]
    public async Task TheStoreAnswersAHealthProbe()
    {
        await Rooms.CheckHealthAsync(default);
    }
}
