using System.Net.Http.Headers;
using System.Text;
using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.Kestrel.Rooms;

/// <summary>How the bodies of protocol.md section 11 are read (11.11), over real HTTP.</summary>
public sealed class BodyRulesTests(SharedChatApp shared) : IClassFixture<SharedChatApp>
{
    private async Task<HttpResponseMessage> PostRawAsync(string path, TestSession who, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", who.Token);
        return await shared.App.Http.SendAsync(request);
    }

    [Theory]
    [InlineData("", """{"room": "{room}x", "title": "Team \ud800"}""", "title")]
    [InlineData("", """{"room": "{room}x", "visibility": "\udc00"}""", "visibility")]
    [InlineData("/moderation", """{"action": "kick", "userId": "{victim}", "reason": "spam\ud800"}""", "reason")]
    [InlineData("/moderation", """{"action": "kick", "userId": "u_\ud800"}""", "userId")]
    [InlineData("/join", """{"invite": "i1.\ud800"}""", "invite")]
    public async Task AStringThatIsNotUnicodeIsA400NamingItsMember(string path, string template, string member)
    {
        var scene = await RoomScene.CreateAsync(shared.App);
        var json = template.Replace("{room}", scene.Room, StringComparison.Ordinal).Replace("{victim}", scene.Victim.UserId, StringComparison.Ordinal);
        var target = path.Length == 0 ? "/api/rooms" : $"/api/rooms/{scene.Room}{path}";

        using var response = await PostRawAsync(target, scene.Owner, json);

        Assert.Contains($"'{member}'", (await ProblemAssert.IsProblemAsync(response, 400)).Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANullMemberCountsAsAbsent()
    {
        var scene = await RoomScene.CreateAsync(shared.App);
        using (var created = await PostRawAsync("/api/rooms", scene.Owner, $$"""{"room": "{{scene.Room}}n", "visibility": null, "title": null}"""))
        {
            var room = await ProblemAssert.IsJsonAsync(created, 201);
            Assert.Equal("public", room.Str("visibility"));
            Assert.False(room.TryGetProperty("title", out _), "a null title is no title");
        }
        using (var invite = await PostRawAsync($"/api/rooms/{scene.Room}/invites", scene.Owner, """{"maxUses": null, "expiresInSeconds": null}"""))
            Assert.False((await ProblemAssert.IsJsonAsync(invite, 201)).TryGetProperty("maxUses", out _), "a null maxUses is any number of uses");
        using (var ban = await PostRawAsync($"/api/rooms/{scene.Room}/moderation", scene.Owner,
                   $$"""{"action": "ban", "userId": "{{scene.Victim.UserId}}", "durationSeconds": null, "reason": null}"""))
            Assert.False((await ProblemAssert.IsJsonAsync(ban, 200)).TryGetProperty("until", out _), "a null durationSeconds bans for good");
        using (var mute = await PostRawAsync($"/api/rooms/{scene.Room}/moderation", scene.Owner,
                   $$"""{"action": "mute", "userId": "{{scene.GuestMember.UserId}}", "durationSeconds": null}"""))
            await ProblemAssert.IsProblemAsync(mute, 400);
    }
}
