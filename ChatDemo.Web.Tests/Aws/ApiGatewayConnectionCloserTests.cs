using System.Text;
using System.Text.Json;
using ChatDemo.Web.Aws;
using ChatDemo.Web.Chat;
using Microsoft.Extensions.DependencyInjection;

namespace ChatDemo.Web.Tests.Aws;

/// <summary>
/// Closing a user's connections to a room in AWS mode (protocol.md 11.8): the <c>member</c> frame
/// posted to each first, then <c>DeleteConnection</c>, both checked by the signature-verifying
/// management fake; then the connection is gone from the store.
/// </summary>
public sealed class ApiGatewayConnectionCloserTests
{
    private const string Bob1 = "Bob1CWIAMCKlQ=";
    private const string Bob2 = "Bob2CWIAMCKlQ=";
    private const string BobElsewhere = "Bob3CWIAMCKlQ=";
    private const string Alice = "AliceWIAMCKlQ=";

    private static readonly byte[] BannedFrame = Encoding.UTF8.GetBytes(
        """{"type":"member","room":"lobby","event":"banned","user":{"id":"user-bob","name":"Bob"},"at":"2026-12-05T10:00:00.000Z"}""");

    [Fact]
    public async Task EachOfTheUsersConnectionsToTheRoomGetsTheMemberFrameThenIsDeletedAndLeavesTheStore()
    {
        await using var aws = await AwsModeApp.StartAsync();
        await aws.ConnectAsync(Bob1, "Bob");
        await aws.ConnectAsync(Bob2, "Bob");
        await aws.ConnectAsync(BobElsewhere, "Bob", room: "other");
        await aws.ConnectAsync(Alice, "Alice");
        var closer = aws.App.Services.GetRequiredService<IRoomConnectionCloser>();
        Assert.IsType<ApiGatewayConnectionCloser>(closer);

        await closer.CloseUserConnectionsAsync("lobby", "user-bob", RoomCloseReason.Banned, BannedFrame, default);

        foreach (var connection in new[] { Bob1, Bob2 })
        {
            // In this order: the frame that says why, then the close (API Gateway's 1001).
            Assert.Equal(["POST", "DELETE"], Calls(aws, connection));
            Assert.Equal([Encoding.UTF8.GetString(BannedFrame)], aws.ApiGateway.Received(connection));
            Assert.Null(await aws.Store.GetConnectionAsync(connection, default));
        }
        Assert.Equal([Bob1, Bob2], aws.ApiGateway.Deleted.Order(StringComparer.Ordinal));
        Assert.Empty(Calls(aws, BobElsewhere));
        Assert.Empty(Calls(aws, Alice));
        Assert.NotNull(await aws.Store.GetConnectionAsync(BobElsewhere, default));
        Assert.Empty(await aws.Store.GetUserConnectionsAsync("lobby", "user-bob", default));
        // Bob left the room once, announced to it through the bus.
        var offline = Assert.Single(aws.Published("presence"), e => Frame(e).GetProperty("status").GetString() == "offline");
        Assert.Equal(("lobby", "user-bob"), (offline.Detail.GetProperty("room").GetString(), Frame(offline).GetProperty("user").GetProperty("id").GetString()));
    }

    [Fact]
    public async Task AGoneConnectionIsNotDeletedAgainAndAFailingOneIsStillRemovedFromTheStore()
    {
        await using var aws = await AwsModeApp.StartAsync();
        await aws.ConnectAsync(Bob1, "Bob");
        await aws.ConnectAsync(Bob2, "Bob");
        aws.ApiGateway.Gone[Bob1] = true;
        aws.ApiGateway.Failing[Bob2] = true;

        await aws.App.Services.GetRequiredService<IRoomConnectionCloser>()
            .CloseUserConnectionsAsync("lobby", "user-bob", RoomCloseReason.Kicked, BannedFrame, default);

        Assert.Equal(["POST"], Calls(aws, Bob1));
        // 500s are retried, then given up; the close is not attempted on a connection that cannot be posted to.
        Assert.All(Calls(aws, Bob2), method => Assert.Equal("POST", method));
        Assert.Empty(aws.ApiGateway.Deleted);
        Assert.Empty(await aws.Store.GetUserConnectionsAsync("lobby", "user-bob", default));
    }

    [Fact]
    public async Task AnAdministratorsConnectionsAreLeftOpen()
    {
        await using var aws = await AwsModeApp.StartAsync();
        var admin = new ChatUser("user-root", "Root");
        await aws.Chat.ConnectAsync(new ChatConnection(Bob1, "lobby", admin, DateTimeOffset.UtcNow) { Admin = true }, default);

        await aws.App.Services.GetRequiredService<IRoomConnectionCloser>()
            .CloseUserConnectionsAsync("lobby", admin.Id, RoomCloseReason.Banned, BannedFrame, default);

        Assert.Empty(Calls(aws, Bob1));
        Assert.NotNull(await aws.Store.GetConnectionAsync(Bob1, default));
    }

    private static List<string> Calls(AwsModeApp aws, string connectionId) =>
        aws.ApiGateway.Calls.Where(c => ApiGatewayManagementFake.ConnectionIdOf(c.Request.RawTarget) == connectionId)
            .Select(c => c.Request.Method).ToList();

    private static JsonElement Frame(PutEvent roomEvent) => roomEvent.Detail.GetProperty("frame");
}
