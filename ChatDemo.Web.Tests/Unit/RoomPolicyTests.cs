using ChatDemo.Web.Chat;
using ChatDemo.Web.Rooms;

namespace ChatDemo.Web.Tests.Unit;

/// <summary>
/// The access matrix of protocol.md section 11 as <see cref="RoomPolicy"/> decides it, cell by
/// cell, without a store or a transport (the Kestrel tests assert the same cells over the wire).
/// </summary>
public sealed class RoomPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);
    private static readonly ChatUser Owner = new("u_owner", "Olga");
    private static readonly Room Private = new("team-a", RoomVisibility.Private, "Team A", Owner, Now.AddDays(-1));
    private static readonly Room Public = Private with { Visibility = RoomVisibility.Public };

    public enum Who { Outsider, Member, Moderator, Owner, Admin, NoToken }

    private static string IdOf(Who who) => who switch
    {
        Who.Owner => Owner.Id,
        _ => "u_" + who.ToString().ToLowerInvariant(),
    };

    private static RoomStanding? StandingOf(Room room, Who who) => who switch
    {
        Who.Member => new RoomStanding(room.Name, IdOf(who)) { Role = RoomRole.Member, Name = "M" },
        Who.Moderator => new RoomStanding(room.Name, IdOf(who)) { Role = RoomRole.Moderator, Name = "Mo" },
        Who.Owner => new RoomStanding(room.Name, IdOf(who)) { Role = RoomRole.Owner, Name = Owner.Name },
        _ => null,
    };

    private static RoomAccess AccessOf(Room? room, Who who) => new(room, room is null ? null : StandingOf(room, who));

    private static RoomCaller? CallerOf(Who who) => who == Who.NoToken ? null : new RoomCaller(IdOf(who), who == Who.Admin);

    [Theory]
    [InlineData(Who.NoToken, 401)]
    [InlineData(Who.Outsider, 403)]
    [InlineData(Who.Member, 0)]
    [InlineData(Who.Moderator, 0)]
    [InlineData(Who.Owner, 0)]
    [InlineData(Who.Admin, 0)]
    public void APrivateRoomIsReadOnlyByItsMembersAndAdministrators(Who who, int status)
    {
        Assert.Equal(status, RoomPolicy.Read(AccessOf(Private, who), CallerOf(who))?.Status ?? 0);
    }

    [Theory]
    [InlineData(Who.NoToken)]
    [InlineData(Who.Outsider)]
    [InlineData(Who.Member)]
    public void APublicRoomAndARoomNobodyCreatedAreReadByAnyone(Who who)
    {
        Assert.Null(RoomPolicy.Read(AccessOf(Public, who), CallerOf(who)));
        Assert.Null(RoomPolicy.Read(AccessOf(null, who), CallerOf(who)));
    }

    [Theory]
    [InlineData(Who.Outsider, "Not a member")]
    [InlineData(Who.Member, null)]
    [InlineData(Who.Moderator, null)]
    [InlineData(Who.Owner, null)]
    [InlineData(Who.Admin, null)]
    public void OnlyMembersAndAdministratorsConnectToAPrivateRoom(Who who, string? title)
    {
        Assert.Equal(title, RoomPolicy.Connect(AccessOf(Private, who), CallerOf(who)!, Now)?.Title);
        Assert.Null(RoomPolicy.Connect(AccessOf(Public, who), CallerOf(who)!, Now));
    }

    [Fact]
    public void ABanRefusesConnectingEverywhereUntilItEndsButNeverAnAdministrator()
    {
        var banned = new RoomStanding("team-a", "u_x") { Ban = new RoomBan(Now.AddMinutes(-1), Now.AddMinutes(5)) };

        var refusal = RoomPolicy.Connect(new RoomAccess(Public, banned), new RoomCaller("u_x", false), Now);

        Assert.Equal(("Banned", 403), (refusal?.Title, refusal?.Status ?? 0));
        Assert.Contains("2026-12-05T10:05:00.000Z", refusal!.Detail);
        Assert.Null(RoomPolicy.Connect(new RoomAccess(Public, banned), new RoomCaller("u_x", false), Now.AddMinutes(5)));
        Assert.Null(RoomPolicy.Connect(new RoomAccess(Public, banned), new RoomCaller("u_x", Admin: true), Now));
        var forGood = banned with { Ban = new RoomBan(Now, null) };
        Assert.Contains("until a moderator lifts", RoomPolicy.Connect(new RoomAccess(Private, forGood), new RoomCaller("u_x", false), Now.AddYears(5))!.Detail);
    }

    [Fact]
    public void AMuteLastsUntilItsEndAndNeverAppliesToTheOwnerOrAnAdministrator()
    {
        var muted = new RoomStanding("team-a", "u_x") { MutedUntil = Now.AddMinutes(10), Role = RoomRole.Member };

        Assert.Equal(Now.AddMinutes(10), RoomPolicy.Rights(new RoomAccess(Public, muted), new RoomCaller("u_x", false), Now).MutedUntil);
        Assert.Null(RoomPolicy.Rights(new RoomAccess(Public, muted), new RoomCaller("u_x", false), Now.AddMinutes(10)).MutedUntil);
        Assert.Null(RoomPolicy.Rights(new RoomAccess(Public, muted), new RoomCaller("u_x", Admin: true), Now).MutedUntil);
        Assert.Null(RoomPolicy.Rights(new RoomAccess(Public, muted with { UserId = Owner.Id }), new RoomCaller(Owner.Id, false), Now).MutedUntil);
    }

    [Fact]
    public void ARoomNobodyCreatedGivesEveryoneTheRightsOfProtocolV1()
    {
        Assert.Same(RoomRights.Everyone, RoomPolicy.Rights(new RoomAccess(null, null), new RoomCaller("u_x", false), Now));
        Assert.False(RoomPolicy.Rights(new RoomAccess(null, null), new RoomCaller("u_x", Admin: true), Now).Moderates);
    }

    [Theory]
    [InlineData(Who.Outsider, false)]
    [InlineData(Who.Member, false)]
    [InlineData(Who.Moderator, true)]
    [InlineData(Who.Owner, true)]
    [InlineData(Who.Admin, true)]
    public void OwnersModeratorsAndAdministratorsModerate(Who who, bool moderates)
    {
        Assert.Equal(moderates, RoomPolicy.Rights(AccessOf(Public, who), CallerOf(who)!, Now).Moderates);
        Assert.Equal(moderates ? null : 403, RoomPolicy.CreateInvite(AccessOf(Private, who), CallerOf(who)!)?.Status);
        Assert.Equal(moderates ? null : 403, RoomPolicy.ReadModeration(AccessOf(Private, who), CallerOf(who)!)?.Status);
    }

    // Actor × target → status of remove / mute-kick-ban (0: allowed).
    [Theory]
    [InlineData(Who.Member, Who.Outsider, 403, 403)]
    [InlineData(Who.Member, Who.Member, 403, 403)]
    [InlineData(Who.Moderator, Who.Member, 0, 0)]
    [InlineData(Who.Moderator, Who.Outsider, 404, 0)]
    [InlineData(Who.Moderator, Who.Moderator, 403, 403)]
    [InlineData(Who.Moderator, Who.Owner, 403, 403)]
    [InlineData(Who.Owner, Who.Moderator, 0, 0)]
    [InlineData(Who.Owner, Who.Member, 0, 0)]
    [InlineData(Who.Admin, Who.Moderator, 0, 0)]
    [InlineData(Who.Admin, Who.Owner, 403, 403)]
    public void WhoMayRemoveAndModerateWhom(Who actor, Who target, int remove, int moderate)
    {
        var access = AccessOf(Private, actor);
        var targetId = target == actor ? "u_other" : IdOf(target);
        var targetStanding = StandingOf(Private, target) is { } s ? s with { UserId = targetId } : null;

        Assert.Equal(remove, RoomPolicy.Remove(access, CallerOf(actor)!, targetStanding, targetId)?.Status ?? 0);
        Assert.Equal(moderate, RoomPolicy.Moderate(access, CallerOf(actor)!, targetStanding, targetId)?.Status ?? 0);
    }

    [Theory]
    [InlineData(Who.Member, 0)]
    [InlineData(Who.Moderator, 0)]
    [InlineData(Who.Owner, 409)]
    [InlineData(Who.Outsider, 404)]
    public void LeavingIsForMembersButNotTheOwner(Who who, int status)
    {
        Assert.Equal(status, RoomPolicy.Remove(AccessOf(Private, who), CallerOf(who)!, StandingOf(Private, who), IdOf(who))?.Status ?? 0);
    }

    [Fact]
    public void NobodyModeratesThemself()
    {
        Assert.Equal(403, RoomPolicy.Moderate(AccessOf(Private, Who.Moderator), CallerOf(Who.Moderator)!, StandingOf(Private, Who.Moderator), IdOf(Who.Moderator))?.Status);
    }

    [Theory]
    [InlineData(Who.Owner, Who.Member, 0)]
    [InlineData(Who.Owner, Who.Moderator, 0)]
    [InlineData(Who.Admin, Who.Member, 0)]
    [InlineData(Who.Owner, Who.Owner, 409)]
    [InlineData(Who.Owner, Who.Outsider, 404)]
    [InlineData(Who.Moderator, Who.Member, 403)]
    [InlineData(Who.Member, Who.Member, 403)]
    public void OnlyTheOwnerAndAdministratorsChangeRoles(Who actor, Who target, int status)
    {
        Assert.Equal(status, RoomPolicy.ChangeRole(AccessOf(Private, actor), CallerOf(actor)!, StandingOf(Private, target), IdOf(target))?.Status ?? 0);
    }

    [Fact]
    public void NothingIsModeratedInARoomNobodyCreated()
    {
        var access = new RoomAccess(null, null);
        var admin = new RoomCaller("u_admin", Admin: true);

        Assert.Equal(404, RoomPolicy.Moderate(access, admin, null, "u_x")?.Status);
        Assert.Equal(404, RoomPolicy.CreateInvite(access, admin)?.Status);
        Assert.Equal(404, RoomPolicy.ChangeRole(access, admin, null, "u_x")?.Status);
        Assert.Equal(404, RoomPolicy.Remove(access, admin, null, "u_x")?.Status);
    }

    [Fact]
    public void TheOwnerIsReadFromTheRoomsRecordEvenWithoutAStanding()
    {
        Assert.Equal(RoomRole.Owner, RoomPolicy.RoleOf(Private, null, Owner.Id));
        Assert.Null(RoomPolicy.RoleOf(null, new RoomStanding("lobby", "u_x") { Role = RoomRole.Member }, "u_x"));
    }

    [Theory]
    [InlineData(RoomVisibility.Public, null, true)]
    [InlineData(RoomVisibility.Private, null, false)]
    [InlineData(RoomVisibility.Private, RoomRole.Member, true)]
    public void AListShowsAPrivateRoomOnlyToItsMembers(RoomVisibility visibility, RoomRole? role, bool listed)
    {
        var summary = new RoomSummary("team-a", Private with { Visibility = visibility }, 3, Now);

        Assert.Equal(listed, RoomPolicy.IsListed(summary, role));
        Assert.True(RoomPolicy.IsListed(new RoomSummary("lobby", null, 3, Now), null));
    }
}
