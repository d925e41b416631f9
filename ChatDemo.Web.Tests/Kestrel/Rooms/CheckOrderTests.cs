using System.Net.Http.Headers;
using System.Text;
using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.Kestrel.Rooms;

/// <summary>
/// protocol.md 11.9 over real HTTP: under /api/rooms/{room} the room name, then the token, then a
/// private room's membership are checked before the request body, so a body of the wrong
/// Content-Type never hides a 400, 401 or 403 behind a 415.
/// </summary>
public sealed class CheckOrderTests(SharedChatApp shared) : IClassFixture<SharedChatApp>
{
    public static TheoryData<string, string> BodyEndpoints() => new()
    {
        { "PUT", "/read" },
        { "PUT", "/members/{victim}" },
        { "POST", "/invites" },
        { "POST", "/moderation" },
    };

    private static async Task<HttpResponseMessage> SendPlainTextAsync(ChatApp app, string method, string path, string? token)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = new StringContent("{\"seq\": 1}", Encoding.UTF8, "text/plain"),
        };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await app.Http.SendAsync(request);
    }

    [Theory]
    [MemberData(nameof(BodyEndpoints))]
    public async Task ARefusedCallerIsRefusedBeforeTheBodysContentTypeIsLookedAt(string method, string template)
    {
        var scene = await RoomScene.CreateAsync(shared.App);
        var path = template.Replace("{victim}", scene.Victim.UserId, StringComparison.Ordinal);

        using (var badRoom = await SendPlainTextAsync(shared.App, method, $"/api/rooms/no%20such{path}", scene.Owner.Token))
            await ProblemAssert.IsProblemAsync(badRoom, 400);
        using (var anonymous = await SendPlainTextAsync(shared.App, method, $"/api/rooms/{scene.Room}{path}", null))
            Assert.Equal("Session required", (await ProblemAssert.IsProblemAsync(anonymous, 401)).Str("title"));
        using (var forged = await SendPlainTextAsync(shared.App, method, $"/api/rooms/{scene.Room}{path}", scene.Owner.Token + "x"))
            Assert.Equal("Invalid session", (await ProblemAssert.IsProblemAsync(forged, 401)).Str("title"));
        using (var outsider = await SendPlainTextAsync(shared.App, method, $"/api/rooms/{scene.Room}{path}", scene.Outsider.Token))
            Assert.Equal("Not a member", (await ProblemAssert.IsProblemAsync(outsider, 403)).Str("title"));
        using (var owner = await SendPlainTextAsync(shared.App, method, $"/api/rooms/{scene.Room}{path}", scene.Owner.Token))
            await ProblemAssert.IsProblemAsync(owner, 415);
        using (var tooLarge = await scene.Rooms.SendAsync(new HttpMethod(method), $"/api/rooms/{scene.Room}{path}", scene.Owner,
                   new { padding = new string('x', 4_100) }))
            await ProblemAssert.IsProblemAsync(tooLarge, 413);
    }

    [Theory]
    [InlineData("GET", "")]
    [InlineData("GET", "/members")]
    [InlineData("DELETE", "/members/u_0123")]
    [InlineData("GET", "/moderation")]
    [InlineData("POST", "/join")]
    public async Task EveryRoomEndpointAnswers400ForABadRoomNameBeforeLookingAtTheToken(string method, string path)
    {
        var rooms = new RoomsClient(shared.App);
        using var response = await rooms.SendAsync(new HttpMethod(method), $"/api/rooms/{new string('a', 65)}{path}", rawToken: "forged");
        Assert.Contains("room must be", (await ProblemAssert.IsProblemAsync(response, 400)).Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreatingARoomWithoutATokenIs401WhateverTheBodysContentType()
    {
        using var response = await SendPlainTextAsync(shared.App, "POST", "/api/rooms", null);
        Assert.Equal("Session required", (await ProblemAssert.IsProblemAsync(response, 401)).Str("title"));
    }

    [Fact]
    public async Task A415HasOneTitleWhetherTheContentTypeIsMissingOrWrong()
    {
        var scene = await RoomScene.CreateAsync(shared.App);
        using var wrong = await SendPlainTextAsync(shared.App, "POST", $"/api/rooms/{scene.Room}/invites", scene.Owner.Token);
        using var missingRequest = new HttpRequestMessage(HttpMethod.Post, $"/api/rooms/{scene.Room}/invites")
        {
            Content = new ByteArrayContent("{}"u8.ToArray()),
        };
        missingRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", scene.Owner.Token);
        using var missing = await shared.App.Http.SendAsync(missingRequest);

        Assert.Equal((await ProblemAssert.IsProblemAsync(missing, 415)).Str("title"), (await ProblemAssert.IsProblemAsync(wrong, 415)).Str("title"));
    }
}
