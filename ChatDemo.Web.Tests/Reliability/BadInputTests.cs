using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.Reliability;

/// <summary>
/// One app for the whole corpus (starting 150 apps would take minutes). The cases stay
/// independent: each frame case uses a room of its own, and every case checks that the
/// sentinel room's history is exactly what the fixture stored, so no case depends on another.
/// </summary>
public sealed class BadInputFixture : IAsyncLifetime
{
    public const string SentinelRoom = "sentinel";

    /// <summary>
    /// The room of the v1.1 frames (protocol.md 10): the corpus user's own message, someone else's,
    /// the corpus user's deleted one and someone else's carrying 20 distinct emoji
    /// (<see cref="BadInputCorpus.Own"/> …), so that each bad change aims at a message it could change.
    /// </summary>
    public const string StoredMessagesRoom = "lived";

    public ChatApp App { get; private set; } = null!;

    public TestSession Session { get; private set; } = null!;

    public string SentinelHistory { get; private set; } = "";

    /// <summary>The stored-messages room's history page, its revision included.</summary>
    public string StoredMessages { get; private set; } = "";

    public async Task InitializeAsync()
    {
        // Room in the send budget for the 20 reactions that fill a message.
        App = await ChatApp.StartAsync(new Dictionary<string, string?> { ["Chat:Limits:SendBurst"] = "100" });
        Session = await App.CreateSessionAsync("Corpus");
        await using (var socket = await App.ConnectAsync(Session, SentinelRoom))
        {
            await socket.SendMessageAsync("sentinel-1", "the only message of this room");
            await socket.WaitForAsync("ack");
        }
        SentinelHistory = await ReadRawHistoryAsync(SentinelRoom);
        await FillStoredMessagesRoomAsync();
    }

    private async Task FillStoredMessagesRoomAsync()
    {
        var other = await App.CreateSessionAsync("Other");
        await using var mine = await App.ConnectAsync(Session, StoredMessagesRoom);
        await using var theirs = await App.ConnectAsync(other, StoredMessagesRoom);
        async Task<long> SendAsync(ChatSocket socket, string clientMessageId, string text)
        {
            await socket.SendMessageAsync(clientMessageId, text);
            return (await socket.WaitForAsync("ack", a => a.Str("clientMessageId") == clientMessageId)).GetProperty("seq").GetInt64();
        }
        async Task ChangeAsync(ChatSocket socket, object frame, string clientMessageId)
        {
            await socket.SendJsonAsync(frame);
            var ack = await socket.WaitForAsync("updateAck", a => a.TryGetProperty("clientMessageId", out var id) && id.GetString() == clientMessageId);
            Assert.False(ack.GetProperty("duplicate").GetBoolean());
        }

        Assert.Equal(BadInputCorpus.Own, await SendAsync(mine, "own", "mine, and still editable"));
        Assert.Equal(BadInputCorpus.Others, await SendAsync(theirs, "others", "not yours"));
        Assert.Equal(BadInputCorpus.Deleted, await SendAsync(mine, "deleted", "taken back"));
        await ChangeAsync(mine, new { action = "deleteMessage", seq = BadInputCorpus.Deleted, clientMessageId = "d" }, "d");
        Assert.Equal(BadInputCorpus.Full, await SendAsync(theirs, "full", "twenty emoji"));
        for (var i = 0; i < 20; i++)
            await ChangeAsync(theirs, new { action = "react", seq = BadInputCorpus.Full, emoji = char.ConvertFromUtf32(0x1F600 + i), op = "add", clientMessageId = $"f{i}" }, $"f{i}");
        StoredMessages = await ReadRawPageAsync(StoredMessagesRoom);
    }

    /// <summary>A room's newest history page as the server wrote it: its messages' states and the room's revision.</summary>
    public async Task<string> ReadRawPageAsync(string room) =>
        (await App.GetJsonAsync($"/api/rooms/{room}/messages?limit=100")).GetRawText();

    public async Task<string> ReadRawHistoryAsync(string room) =>
        (await App.GetJsonAsync($"/api/rooms/{room}/messages?limit=100")).GetProperty("messages").GetRawText();

    public async Task DisposeAsync() => await App.DisposeAsync();
}

public sealed class BadInputTests(BadInputFixture fixture) : IClassFixture<BadInputFixture>
{
    private ChatApp App => fixture.App;

    [Fact]
    public void TheCorpusHoldsAtLeastSixtyDistinctInputs()
    {
        Assert.True(BadInputCorpus.All.Count >= 60, $"only {BadInputCorpus.All.Count} inputs");
        Assert.Equal(BadInputCorpus.All.Count, BadInputCorpus.All.Select(i => i.Name).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(BadInputCorpus.Names), MemberType = typeof(BadInputCorpus))]
    public async Task BadInputGetsTheDocumentedAnswerStoresNothingAndLeavesTheServerUp(string name)
    {
        var input = BadInputCorpus.Get(name);
        var room = "bad-" + Math.Abs(StringComparer.Ordinal.GetHashCode(name)).ToString(System.Globalization.CultureInfo.InvariantCulture);

        switch (input)
        {
            case BadFrame { AmongStoredMessages: true } frame:
                await SendFrameAsync(frame, BadInputFixture.StoredMessagesRoom);
                // No message, version, revision or reaction changed, and nothing was added.
                Assert.Equal(fixture.StoredMessages, await fixture.ReadRawPageAsync(BadInputFixture.StoredMessagesRoom));
                break;
            case BadFrame frame:
                await SendFrameAsync(frame, room);
                Assert.Equal("[]", await fixture.ReadRawHistoryAsync(room));
                break;
            case BadRequest request:
                await SendRequestAsync(request);
                break;
            case BadUpgrade upgrade:
                var query = upgrade.Query.Replace("{token}", Uri.EscapeDataString(fixture.Session.Token), StringComparison.Ordinal);
                var status = await ChatSocket.TryConnectAsync(new Uri(App.BaseUri, "/ws?" + query).ToWebSocketUri(), upgrade.Origin);
                Assert.Equal(upgrade.Status, status);
                break;
        }

        using var health = await App.Http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(fixture.SentinelHistory, await fixture.ReadRawHistoryAsync(BadInputFixture.SentinelRoom));
    }

    private async Task SendFrameAsync(BadFrame frame, string room)
    {
        await using var socket = await App.ConnectAsync(fixture.Session, room);
        await socket.SendBytesAsync(frame.Payload, frame.Type);

        if (frame.CloseStatus is { } expectedClose)
        {
            Assert.Equal(expectedClose, await socket.WaitForCloseAsync());
            return;
        }

        var error = await socket.WaitForAsync("error");
        Assert.Equal(frame.ErrorCode, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        if (frame.EchoedClientMessageId is null)
            Assert.False(error.TryGetProperty("clientMessageId", out _), $"unexpected clientMessageId in {error}");
        else
            Assert.Equal(frame.EchoedClientMessageId, error.GetProperty("clientMessageId").GetString());

        // The connection stays open and answers the next frame; nothing else was sent to it.
        await socket.SendJsonAsync(new { action = "ping" });
        await socket.WaitForAsync("pong");
        var rest = await socket.CollectAsync(TimeSpan.FromMilliseconds(50));
        Assert.DoesNotContain(rest, f => f.GetProperty("type").GetString() is "ack" or "message" or "error" or "updateAck" or "messageUpdated");
    }

    private async Task SendRequestAsync(BadRequest request)
    {
        using var message = new HttpRequestMessage(request.Method, request.Path);
        if (request.Body is not null)
        {
            HttpContent content = request.Chunked ? new StreamContent(new MemoryStream(request.Body)) : new ByteArrayContent(request.Body);
            if (request.ContentType is not null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType);
            message.Content = content;
            if (request.Chunked) message.Headers.TransferEncodingChunked = true;
        }
        using var response = await App.Http.SendAsync(message);

        Assert.Equal(request.Status, (int)response.StatusCode);
        if (request.RejectedByKestrel) return;
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(request.Status, problem.GetProperty("status").GetInt32());
        Assert.True(problem.TryGetProperty("detail", out var detail) && !string.IsNullOrWhiteSpace(detail.GetString()),
            $"problem without a useful detail: {problem}");
    }
}

internal static class UriExtensions
{
    public static Uri ToWebSocketUri(this Uri uri) =>
        new UriBuilder(uri) { Scheme = uri.Scheme == "https" ? "wss" : "ws" }.Uri;
}
