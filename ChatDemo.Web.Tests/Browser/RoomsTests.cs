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

        // Mute for ten minutes: the invitee's composer is disabled and says until when.
        var row = await olive.MemberActionsAsync(ivyId);
        await row.GetByTestId("mute-duration").SelectOptionAsync("600");
        await row.GetByTestId("mute-button").ClickAsync();
        await Expect(ivy.Composer).ToBeDisabledAsync();
        await Expect(ivy.Page.GetByTestId("composer-muted")).ToHaveTextAsync(new Regex(@"^You are muted until \d{1,2}:\d\d( [AP]M)?\.$"));
        await Expect(olive.Member(ivyId).GetByTestId("member-muted")).ToBeVisibleAsync();
        await Expect(olive.SystemLines.Last).ToHaveTextAsync(new Regex("^Ivy was muted until .* by Olive$"));

        row = await olive.MemberActionsAsync(ivyId);
        await row.GetByTestId("unmute-button").ClickAsync();
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
