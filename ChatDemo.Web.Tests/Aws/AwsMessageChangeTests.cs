using System.Text.Json;

namespace ChatDemo.Web.Tests.Aws;

/// <summary>protocol.md 10.9: in AWS mode a change takes the same path as a new message.</summary>
public sealed class AwsMessageChangeTests
{
    [Fact]
    public async Task AChangeIsPutOnTheBusAsMessageUpdatedAndItsUpdateAckGoesToTheRequesterThroughPostToConnection()
    {
        await using var aws = await AwsModeApp.StartAsync();
        var alice = await aws.ConnectAsync("alice-1=", "Alice");
        var bob = await aws.ConnectAsync("bob-1=", "Bob");
        await aws.SendFrameAsync(alice, new { action = "sendMessage", clientMessageId = "c-1", text = "helo" });

        await aws.SendFrameAsync(alice, new { action = "editMessage", seq = 1, text = "hello", clientMessageId = "e-1" });
        await aws.SendFrameAsync(bob, new { action = "react", seq = 1, emoji = "👍", op = "add", clientMessageId = "r-1" });
        await aws.SendFrameAsync(bob, new { action = "react", seq = 1, emoji = "👍", op = "add", clientMessageId = "r-2" });
        await aws.SendFrameAsync(bob, new { action = "editMessage", seq = 1, text = "mine", clientMessageId = "e-2" });

        var updates = aws.Published("messageUpdated").Select(e => e.Detail).ToList();
        Assert.Equal([2L, 3L], updates.Select(d => d.GetProperty("frame").GetProperty("version").GetInt64()));
        Assert.All(updates, d => Assert.Equal(JsonValueKind.Null, d.GetProperty("exceptConnectionId").ValueKind));
        Assert.Equal("hello", updates[0].GetProperty("frame").GetProperty("text").GetString());
        Assert.Equal("👍", updates[1].GetProperty("frame").GetProperty("reactions")[0].GetProperty("emoji").GetString());

        var toAlice = aws.ApiGateway.Received("alice-1=").Select(f => JsonDocument.Parse(f).RootElement).ToList();
        var toBob = aws.ApiGateway.Received("bob-1=").Select(f => JsonDocument.Parse(f).RootElement).ToList();
        var aliceAck = Assert.Single(toAlice, f => f.GetProperty("type").GetString() == "updateAck");
        Assert.Equal(("e-1", false, 2L), (aliceAck.GetProperty("clientMessageId").GetString(), aliceAck.GetProperty("duplicate").GetBoolean(),
            aliceAck.GetProperty("message").GetProperty("version").GetInt64()));
        Assert.Equal([false, true], toBob.Where(f => f.GetProperty("type").GetString() == "updateAck").Select(f => f.GetProperty("duplicate").GetBoolean()));
        var refused = Assert.Single(toBob, f => f.GetProperty("type").GetString() == "error");
        Assert.Equal(("not_author", "e-2"), (refused.GetProperty("code").GetString(), refused.GetProperty("clientMessageId").GetString()));
        // Room events reach connections only through the workflow's delivery, never directly.
        Assert.DoesNotContain(toBob, f => f.GetProperty("type").GetString() == "messageUpdated");
    }
}
