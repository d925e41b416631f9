using System.Text.Json;
using System.Text.RegularExpressions;
using ChatDemo.Web.Tests.TestInfrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatDemo.Web.Tests.Browser;

/// <summary>
/// Rooms in the page (docs/protocol.md section 11, docs/chat-page.md "Rooms"): an owner creates a
/// private room, shares an invite link, sees the invitee arrive and moderates them; the invitee
/// joins by the link and sees unread badges for the room while reading another; an outsider can
/// neither list nor enter it. Real Chromium, real Kestrel.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RoomsTests(BrowserFixture browser)
{
    [Fact]
    public async Task TheOwnerInvitesSomeoneSeesThemArriveAndMutesKicksAndBansThem()
    {
        await using var app = await ChatApp.StartAsync();
        await using var olive = await ChatPage.OpenAsync(browser.Browser, app);
        await using var ivy = await ChatPage.OpenAsync(browser.Browser, app);
        await olive.JoinAsync("Olive");

        await olive.CreateRoomAsync("team-a", isPrivate: true, title: "Team A");
        await Expect(olive.Page.Locator("#room-name")).ToHaveTextAsync("#team-a");
        await Expect(olive.RoomItem("team-a")).ToHaveAttributeAsync("aria-current", "page");
        await Expect(olive.RoomItem("team-a")).ToContainTextAsync("Team A");
        await Expect(olive.RoomItem("team-a")).ToContainTextAsync("Private");

        await olive.OpenMembersAsync();
        var oliveId = await olive.UserIdAsync();
        await Expect(olive.Member(oliveId).GetByTestId("member-role")).ToHaveTextAsync("Owner");
        await Expect(olive.Member(oliveId).GetByTestId("member-actions")).ToHaveCountAsync(0);
        var link = await olive.CreateInviteLinkAsync();
        Assert.Matches(new Regex(@"/\?room=team-a&invite=i1\.[^&]+$"), link);

        // The invitee opens the link in another browser, picks a name and is in.
        await ivy.Page.GotoAsync(link);
        await Expect(ivy.Page.GetByTestId("room-input")).ToHaveValueAsync("team-a");
        await ivy.Page.GetByTestId("name-input").FillAsync("Ivy");
        await ivy.Page.GetByTestId("join-button").ClickAsync();
        await ivy.ExpectConnectedAsync();
        await Expect(ivy.Page.Locator("#room-name")).ToHaveTextAsync("#team-a");
        Assert.DoesNotContain("invite=", ivy.Page.Url, StringComparison.Ordinal);
        var ivyId = await ivy.UserIdAsync();

        // The owner sees them arrive in the open panel, as a member, online.
        await Expect(olive.Member(ivyId).GetByTestId("member-role")).ToHaveTextAsync("Member");
        await Expect(olive.Member(ivyId)).ToHaveAttributeAsync("data-online", "true");

        // A member has no actions, no invite link, and may leave.
        await ivy.OpenMembersAsync();
        await Expect(ivy.Page.GetByTestId("member-actions")).ToHaveCountAsync(0);
        await Expect(ivy.Page.GetByTestId("invite-section")).ToBeHiddenAsync();
        await Expect(ivy.Page.GetByTestId("leave-room-button")).ToBeVisibleAsync();
        await ivy.Page.GetByTestId("members-close").ClickAsync();

        // Mute for ten minutes: the invitee's composer is disabled and says until when. The panel
        // offers only the action that applies: Mute while not muted, then Unmute.
        var row = await olive.MemberActionsAsync(ivyId);
        await Expect(row.GetByTestId("unmute-button")).ToHaveCountAsync(0);
        await row.GetByTestId("mute-duration").SelectOptionAsync("600");
        await row.GetByTestId("mute-button").ClickAsync();
        await Expect(ivy.Composer).ToBeDisabledAsync();
        await Expect(ivy.Page.GetByTestId("composer-muted")).ToHaveTextAsync(new Regex(@"^You are muted until \d{1,2}:\d\d( [AP]M)?\.$"));
        await Expect(olive.Member(ivyId).GetByTestId("member-muted")).ToHaveTextAsync(new Regex(@"^muted until \d{1,2}:\d\d( [AP]M)?$"));
        await Expect(olive.SystemLines.Last).ToHaveTextAsync(new Regex("^Ivy was muted until .* by Olive$"));
        await Expect(row.GetByTestId("mute-button")).ToHaveCountAsync(0);
        await Expect(row.GetByTestId("unmute-button")).ToBeFocusedAsync();

        // A fresh page (no frame seen) knows the mute from the member list.
        await olive.Page.ReloadAsync();
        await olive.ExpectConnectedAsync();
        await olive.OpenMembersAsync();
        await Expect(olive.Member(ivyId)).ToHaveAttributeAsync("data-muted-until", new Regex(@"^\d{4}-"));
        await Expect(olive.Member(ivyId).GetByTestId("member-muted")).ToBeVisibleAsync();
        row = await olive.MemberActionsAsync(ivyId);
        await Expect(row.GetByTestId("mute-button")).ToHaveCountAsync(0);
        await row.GetByTestId("unmute-button").ClickAsync();
        await Expect(olive.Member(ivyId).GetByTestId("member-muted")).ToHaveCountAsync(0);
        await Expect(row.GetByTestId("unmute-button")).ToHaveCountAsync(0);
        await Expect(row.GetByTestId("mute-button")).ToBeVisibleAsync();
        await Expect(ivy.Composer).ToBeEnabledAsync();
        await Expect(ivy.Page.GetByTestId("composer-muted")).ToBeHiddenAsync();

        // Kick: a notice, no reconnect by itself, and Rejoin brings them back.
        row = await olive.MemberActionsAsync(ivyId);
        await row.GetByTestId("kick-button").ClickAsync();
        await Expect(ivy.Notice).ToHaveAttributeAsync("data-reason", "kicked");
        await Expect(ivy.Notice).ToContainTextAsync("You were kicked from #team-a by Olive. You may rejoin.");
        await Expect(ivy.Status).ToHaveAttributeAsync("data-state", "offline");
        await ivy.Page.GetByTestId("notice-action").ClickAsync();
        await ivy.ExpectConnectedAsync();
        await Expect(ivy.Notice).ToBeHiddenAsync();

        // Ban for good: a notice, and no new socket afterwards.
        var sockets = 0;
        ivy.Page.WebSocket += (_, _) => Interlocked.Increment(ref sockets);
        row = await olive.MemberActionsAsync(ivyId);
        await row.GetByTestId("ban-duration").SelectOptionAsync("");
        await row.GetByTestId("ban-button").ClickAsync();
        await Expect(ivy.Notice).ToHaveAttributeAsync("data-reason", "banned");
        await Expect(ivy.Notice).ToContainTextAsync("You are banned from #team-a");
        await Expect(ivy.Status).ToHaveAttributeAsync("data-state", "offline");
        await Task.Delay(TimeSpan.FromSeconds(3)); // several backoff steps: nothing may try to reconnect
        Assert.Equal(0, Volatile.Read(ref sockets));

        // The owner sees the ban (a private room's ban ends the membership) and lifts it.
        await Expect(olive.Member(ivyId)).ToHaveCountAsync(0);
        var banned = olive.Page.Locator($"[data-testid='banned-user'][data-user-id='{ivyId}']");
        await Expect(banned).ToContainTextAsync("Ivy · for good");
        await banned.GetByTestId("unban-button").ClickAsync();
        await Expect(banned).ToHaveCountAsync(0);
        Assert.Empty(olive.ConsoleErrors);
    }

    [Fact]
    public async Task TheInviteeJoinsByTheLinkAndSeesUnreadMessagesOfTheRoomWhileReadingAnother()
    {
        await using var app = await ChatApp.StartAsync();
        await using var olive = await ChatPage.OpenAsync(browser.Browser, app);
        await using var ivy = await ChatPage.OpenAsync(browser.Browser, app);
        await using var eve = await ChatPage.OpenAsync(browser.Browser, app);
        await olive.JoinAsync("Olive");
        await olive.SendAsync("Hello lobby");
        await Expect(olive.Sent("Hello lobby")).ToHaveCountAsync(1);
        await olive.CreateRoomAsync("team-b", isPrivate: true);
        await olive.OpenMembersAsync();
        var link = await olive.CreateInviteLinkAsync();
        await olive.Page.GetByTestId("members-close").ClickAsync();

        await ivy.JoinByInviteAsync(link, "Ivy");
        await Expect(ivy.RoomItem("team-b")).ToHaveAttributeAsync("aria-current", "page");
        await Expect(ivy.RoomItem("lobby")).ToBeVisibleAsync();

        // Reading the lobby while two messages arrive in team-b.
        await ivy.OpenRoomFromListAsync("lobby");
        await Expect(ivy.Sent("Hello lobby")).ToHaveCountAsync(1);
        await olive.SendAsync("First in team-b");
        await olive.SendAsync("Second in team-b");
        await Expect(olive.Sent("Second in team-b")).ToHaveCountAsync(1);
        var badge = ivy.RoomItem("team-b").GetByTestId("room-unread");
        await Expect(badge).ToHaveTextAsync("2", new() { Timeout = 30_000 });
        await Expect(badge).ToHaveAttributeAsync("aria-label", "2 unread");
        await Expect(ivy.RoomItem("lobby").GetByTestId("room-unread")).ToHaveCountAsync(0);

        // Opening it shows them and the badge goes; the position is saved for every device.
        await ivy.OpenRoomFromListAsync("team-b");
        await Expect(ivy.Sent("Second in team-b")).ToHaveCountAsync(1);
        await Expect(ivy.RoomItem("team-b").GetByTestId("room-unread")).ToHaveCountAsync(0);
        await ivy.OpenRoomFromListAsync("lobby");
        await Expect(ivy.RoomItem("team-b")).ToHaveAttributeAsync("data-unread", "0", new() { Timeout = 30_000 });

        // An outsider never sees the private room listed and cannot enter it by its name.
        await eve.JoinAsync("Eve");
        await Expect(eve.RoomItem("lobby")).ToBeVisibleAsync();
        await Expect(eve.RoomItem("team-b")).ToHaveCountAsync(0);
        var eveSockets = new List<string>();
        eve.Page.WebSocket += (_, socket) => { lock (eveSockets) eveSockets.Add(socket.Url); };
        await eve.GotoAsync("/?room=team-b"); // a shared room link, opened with a session: refused at the door
        await Expect(eve.Page.Locator("#join-error")).ToHaveTextAsync(new Regex("^You cannot enter #team-b"));
        await Expect(eve.Page.GetByTestId("room-input")).ToHaveValueAsync("team-b");
        await eve.Page.RunAndWaitForResponseAsync( // and again through the form
            () => eve.Page.GetByTestId("join-button").ClickAsync(),
            response => response.Url.EndsWith("/api/rooms/team-b/presence", StringComparison.Ordinal) && response.Status == 403);
        await Expect(eve.Page.Locator("#join-error")).ToHaveTextAsync(new Regex("^You cannot enter #team-b"));
        await Expect(eve.Page.Locator("#room-view")).ToBeHiddenAsync();
        lock (eveSockets) Assert.DoesNotContain(eveSockets, url => url.Contains("room=team-b", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InAPublicRoomAModeratorActsOnAVisitorWhoJoinedByName()
    {
        await using var app = await ChatApp.StartAsync();
        await using var olive = await ChatPage.OpenAsync(browser.Browser, app);
        await using var vic = await ChatPage.OpenAsync(browser.Browser, app);
        await olive.JoinAsync("Olive");
        await olive.CreateRoomAsync("open-a", isPrivate: false);
        await olive.OpenMembersAsync();

        await vic.JoinAsync("Vic", "open-a");
        var vicId = await vic.UserIdAsync();
        await Expect(olive.Member(vicId)).ToHaveAttributeAsync("data-role", "visitor");
        await Expect(olive.Member(vicId).GetByTestId("member-role")).ToHaveTextAsync("Visitor");
        var row = await olive.MemberActionsAsync(vicId);
        await Expect(row.GetByTestId("remove-button")).ToHaveCountAsync(0);
        await Expect(row.GetByTestId("role-button")).ToHaveCountAsync(0);

        // A visitor has no Members button to act with (the room is created, so they see the list only).
        await vic.Page.GetByTestId("members-button").ClickAsync();
        await Expect(vic.Page.GetByTestId("member-actions")).ToHaveCountAsync(0);
        await vic.Page.GetByTestId("members-close").ClickAsync();

        await row.GetByTestId("mute-button").ClickAsync();
        await Expect(vic.Composer).ToBeDisabledAsync();
        row = await olive.MemberActionsAsync(vicId);
        await row.GetByTestId("kick-button").ClickAsync();
        await Expect(vic.Notice).ToHaveAttributeAsync("data-reason", "kicked");
        await Expect(olive.Member(vicId)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task SomeoneBannedWhileAwaySeesTheBanOnceBackAndThePageStopsTryingInsteadOfRenewingTheirSession()
    {
        await using var app = await ChatApp.StartAsync();
        await using var olive = await ChatPage.OpenAsync(browser.Browser, app);
        await using var bob = await ChatPage.OpenAsync(browser.Browser, app);
        await olive.JoinAsync("Olive");
        await olive.CreateRoomAsync("open-b", isPrivate: false);
        await bob.JoinAsync("Bob", "open-b");
        var bobId = await bob.UserIdAsync();

        // Away (offline) while banned for an hour: the 4402 close never reaches the page.
        await bob.Context.SetOfflineAsync(true);
        await Expect(bob.Status).ToHaveAttributeAsync("data-state", "offline");
        Assert.Equal(200, await ActAsync(olive, "open-b", new { action = "ban", userId = bobId, durationSeconds = 3600 }));
        var sockets = new List<string>();
        bob.Page.WebSocket += (_, socket) => { lock (sockets) sockets.Add(socket.Url); };

        // Back online: the upgrade is refused (403, which a browser cannot read); the page asks the room why.
        await bob.Context.SetOfflineAsync(false);
        await Expect(bob.Notice).ToHaveAttributeAsync("data-reason", "banned");
        await Expect(bob.Notice.Locator(".room-notice-text")).ToHaveTextAsync(new Regex(@"^You are banned from #open-b until \d{1,2}:\d\d( [AP]M)?\.$"));
        await Expect(bob.Page.GetByTestId("notice-action")).ToHaveTextAsync("Back to the room list");
        await Expect(bob.Page.GetByTestId("notice-action")).ToBeFocusedAsync();
        await Expect(bob.Status).ToHaveAttributeAsync("data-state", "offline");
        await Expect(bob.Composer).ToBeHiddenAsync();
        await Task.Delay(TimeSpan.FromSeconds(4)); // past two refusals and several backoff steps
        lock (sockets) Assert.True(sockets.Count <= 1, $"sockets opened after the ban: {string.Join(", ", sockets)}");
        await Expect(bob.Notice).ToBeVisibleAsync();
        Assert.Equal(bobId, await bob.UserIdAsync()); // no new guest session to get round the ban

        // Back to the room list, then the room again from the list: stopped at the door, no socket at all.
        await bob.Page.GetByTestId("notice-action").ClickAsync();
        await Expect(bob.Page.Locator("#join-view")).ToBeVisibleAsync();
        lock (sockets) sockets.Clear();
        await bob.RoomItem("open-b").ClickAsync();
        await Expect(bob.Notice).ToHaveAttributeAsync("data-reason", "banned");
        await Expect(bob.Notice).ToContainTextAsync("You are banned from #open-b until");
        await Task.Delay(TimeSpan.FromSeconds(1));
        lock (sockets) Assert.Empty(sockets);

        // Unbanned: the room opens again.
        Assert.Equal(200, await ActAsync(olive, "open-b", new { action = "unban", userId = bobId }));
        await bob.Page.GetByTestId("notice-action").ClickAsync();
        await bob.OpenRoomFromListAsync("open-b");
        await Expect(bob.Notice).ToBeHiddenAsync();
        await Expect(bob.Composer).ToBeVisibleAsync();
    }

    [Fact]
    public async Task SomeoneRemovedFromAPrivateRoomWhileAwayIsToldTheyCannotEnterAndThePageStopsTrying()
    {
        await using var app = await ChatApp.StartAsync();
        await using var olive = await ChatPage.OpenAsync(browser.Browser, app);
        await using var ivy = await ChatPage.OpenAsync(browser.Browser, app);
        await olive.JoinAsync("Olive");
        await olive.CreateRoomAsync("team-r", isPrivate: true);
        await olive.OpenMembersAsync();
        await ivy.JoinByInviteAsync(await olive.CreateInviteLinkAsync(), "Ivy");
        var ivyId = await ivy.UserIdAsync();

        await ivy.Context.SetOfflineAsync(true);
        await Expect(ivy.Status).ToHaveAttributeAsync("data-state", "offline");
        Assert.Equal(204, await olive.Page.EvaluateAsync<int>(
            "async userId => (await fetch(`/api/rooms/team-r/members/${userId}`, { method: 'DELETE', headers: { authorization: `Bearer ${JSON.parse(localStorage.getItem('chatdemo.session')).token}` } })).status",
            ivyId));
        var sockets = new List<string>();
        ivy.Page.WebSocket += (_, socket) => { lock (sockets) sockets.Add(socket.Url); };

        await ivy.Context.SetOfflineAsync(false);
        await Expect(ivy.Page.Locator("#join-error")).ToHaveTextAsync(new Regex("^You cannot enter #team-r: .*not a member"));
        await Expect(ivy.Page.Locator("#room-view")).ToBeHiddenAsync();
        await Task.Delay(TimeSpan.FromSeconds(4));
        lock (sockets) Assert.True(sockets.Count <= 1, $"sockets opened after the refusal: {string.Join(", ", sockets)}");
        Assert.Equal(ivyId, await ivy.UserIdAsync());
    }

    [Fact]
    public async Task TheRoomListSaysItIsLoadingUntilTheFirstAnswerAndEmptyOnlyWhenTheAnswerIs()
    {
        await using var app = await ChatApp.StartAsync();
        await using var eve = await ChatPage.OpenAsync(browser.Browser, app);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await eve.Page.RouteAsync("**/api/rooms", async route =>
        {
            await answer.Task;
            await route.ContinueAsync();
        });

        await eve.GotoAsync();
        var status = eve.Page.GetByTestId("rooms-status");
        await Expect(status).ToHaveTextAsync("Loading rooms…");
        await Expect(status).ToHaveAttributeAsync("role", "status");
        await Expect(eve.Page.GetByTestId("room-list")).ToHaveAttributeAsync("aria-busy", "true");
        await Task.Delay(TimeSpan.FromSeconds(1));
        await Expect(eve.Page.GetByText("No rooms to show yet.")).ToHaveCountAsync(0);

        answer.SetResult();
        await Expect(status).ToHaveTextAsync("No rooms to show yet.");
        await Expect(status).ToHaveAttributeAsync("data-status", "ready");
        await Expect(eve.Page.GetByTestId("room-list")).ToHaveAttributeAsync("aria-busy", "false");
    }

    [Fact]
    public async Task AnAdministratorWhoOpensAnUnlistedPrivateRoomByNameGetsTheMembersPanelAndActsAsItsOwner()
    {
        await using var app = await ChatApp.StartAsync();
        var rooms = new RoomsClient(app);
        var owner = rooms.Member("Olga Owner");
        await rooms.CreateRoomAsync(owner, "hidden-a", "private", null);
        var member = await rooms.GuestAsync("Gus");
        await rooms.JoinedAsync(member, "hidden-a", await rooms.InviteAsync(owner, "hidden-a"));
        await using (var socket = await rooms.ConnectAsync(owner, "hidden-a"))
        {
            await socket.SendMessageAsync("c-1", "Only for the team.");
            await socket.WaitForAsync("ack");
        }
        var ada = rooms.Member("Ada Admin", admin: true);

        await using var page = await ChatPage.OpenAsync(browser.Browser, app);
        await page.GotoAsync();
        await page.Page.EvaluateAsync("""
            ([session, name]) => {
              localStorage.setItem('chatdemo.session', session);
              localStorage.setItem('chatdemo.name', name);
              localStorage.setItem('chatdemo.inRoom', 'hidden-a');
            }
            """, new object[] { JsonSerializer.Serialize(new { userId = ada.UserId, name = ada.Name, token = ada.Token,
                expiresAt = DateTimeOffset.UtcNow.AddHours(1).ToString("O"), kind = "member", admin = true }), ada.Name });
        await page.GotoAsync("/?room=hidden-a");
        await page.ExpectConnectedAsync();
        await Expect(page.Sent("Only for the team.")).ToHaveCountAsync(1);
        await Expect(page.RoomItem("hidden-a")).ToHaveCountAsync(0); // not in an administrator's list

        await page.OpenMembersAsync();
        await Expect(page.Page.Locator("#members-title")).ToHaveTextAsync("Members of #hidden-a");
        await Expect(page.Member(owner.UserId).GetByTestId("member-role")).ToHaveTextAsync("Owner");
        await Expect(page.Page.GetByTestId("invite-section")).ToBeVisibleAsync();
        var row = await page.MemberActionsAsync(member.UserId);
        await Expect(row.GetByTestId("role-button")).ToHaveTextAsync("Make moderator");
        await row.GetByTestId("role-button").ClickAsync();
        await Expect(page.Member(member.UserId).GetByTestId("member-role")).ToHaveTextAsync("Moderator");
        await Expect(page.Member(owner.UserId).GetByTestId("member-actions")).ToHaveCountAsync(0);
        Assert.Empty(page.ConsoleErrors);
    }

    /// <summary>A moderation action by this tab's session, as another client would send it: the status.</summary>
    private static async Task<int> ActAsync(ChatPage by, string room, object action) =>
        await by.Page.EvaluateAsync<int>("""
            async ([room, body]) => (await fetch(`/api/rooms/${room}/moderation`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${JSON.parse(localStorage.getItem('chatdemo.session')).token}` },
              body: JSON.stringify(body),
            })).status
            """, new object[] { room, action });

    [Fact]
    public async Task AForgedInviteIsRefusedInWordsAndJoinsNothing()
    {
        await using var app = await ChatApp.StartAsync();
        await using var olive = await ChatPage.OpenAsync(browser.Browser, app);
        await using var mallory = await ChatPage.OpenAsync(browser.Browser, app);
        await olive.JoinAsync("Olive");
        await olive.CreateRoomAsync("team-c", isPrivate: true);
        await olive.OpenMembersAsync();
        var link = await olive.CreateInviteLinkAsync();

        // The token altered by one character in its signed part (not the signature's last, which may carry only padding bits).
        var at = link.IndexOf("invite=i1.", StringComparison.Ordinal) + "invite=i1.".Length + 4;
        var forged = link[..at] + (link[at] == 'A' ? 'B' : 'A') + link[(at + 1)..];
        await mallory.Page.GotoAsync(forged);
        await mallory.Page.GetByTestId("name-input").FillAsync("Mallory");
        await mallory.Page.GetByTestId("join-button").ClickAsync();
        await Expect(mallory.Page.Locator("#join-error")).ToHaveTextAsync(new Regex("^Could not join: this invite link is not valid"));
        await Expect(olive.Page.GetByTestId("member")).ToHaveCountAsync(1);
    }
}
