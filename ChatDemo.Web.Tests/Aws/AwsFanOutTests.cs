using System.Diagnostics;
using System.Text.Json;
using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.Aws;

public sealed class AwsFanOutTests
{
    [Fact]
    public async Task ASentMessageIsPutOnTheBusOnceAndTheAckGoesToTheSenderThroughPostToConnection()
    {
        await using var aws = await AwsModeApp.StartAsync();
        var alice = await aws.ConnectAsync("alice-1=", "Alice");
        await aws.ConnectAsync("bob-1=", "Bob");

        await aws.SendFrameAsync(alice, new { action = "sendMessage", clientMessageId = "c-1", text = "hello" });

        var published = Assert.Single(aws.Published("message"));
        Assert.Equal(("chatdemo", "chatdemo.room-event", AwsModeApp.BusName), (published.Source, published.DetailType, published.EventBusName));
        Assert.Equal("lobby", published.Detail.GetProperty("room").GetString());
        Assert.Equal(JsonValueKind.Null, published.Detail.GetProperty("exceptConnectionId").ValueKind);
        var frame = published.Detail.GetProperty("frame");
        Assert.Equal(JsonValueKind.Object, frame.ValueKind);
        Assert.Equal(("message", "hello", "c-1", 1L),
            (frame.GetProperty("type").GetString(), frame.GetProperty("text").GetString(), frame.GetProperty("clientMessageId").GetString(), frame.GetProperty("seq").GetInt64()));

        var ack = JsonDocument.Parse(Assert.Single(aws.ApiGateway.Received("alice-1="))).RootElement;
        Assert.Equal(("ack", "c-1", 1L), (ack.GetProperty("type").GetString(), ack.GetProperty("clientMessageId").GetString(), ack.GetProperty("seq").GetInt64()));
        // Room events reach connections only through the workflow's delivery, never directly.
        Assert.Empty(aws.ApiGateway.Received("bob-1="));
    }

    [Fact]
    public async Task AResentMessageIsAckedAsDuplicateAndNotPutOnTheBusAgain()
    {
        await using var aws = await AwsModeApp.StartAsync();
        var alice = await aws.ConnectAsync("alice-1=", "Alice");

        await aws.SendFrameAsync(alice, new { action = "sendMessage", clientMessageId = "c-1", text = "once" });
        await aws.SendFrameAsync(alice, new { action = "sendMessage", clientMessageId = "c-1", text = "once" });

        Assert.Single(aws.Published("message"));
        var acks = aws.ApiGateway.Received("alice-1=").Select(f => JsonDocument.Parse(f).RootElement).ToList();
        Assert.Equal([false, true], acks.Select(a => a.GetProperty("duplicate").GetBoolean()));
    }

    [Fact]
    public async Task TypingIsPutOnTheBusWithTheTypistAsTheExceptedConnection()
    {
        await using var aws = await AwsModeApp.StartAsync();
        var alice = await aws.ConnectAsync("alice-1=", "Alice");

        await aws.SendFrameAsync(alice, new { action = "typing" });

        var typing = Assert.Single(aws.Published("typing"));
        Assert.Equal("alice-1=", typing.Detail.GetProperty("exceptConnectionId").GetString());
        Assert.Equal("typing", typing.Detail.GetProperty("frame").GetProperty("type").GetString());
        Assert.Equal("Alice", typing.Detail.GetProperty("frame").GetProperty("user").GetProperty("name").GetString());
    }

    [Fact]
    public async Task PresenceIsPutOnTheBusWhenAUsersFirstConnectionComesAndTheirLastGoes()
    {
        await using var aws = await AwsModeApp.StartAsync();
        await aws.ConnectAsync("alice-1=", "Alice");
        await aws.ConnectAsync("alice-2=", "Alice");

        await aws.Chat.DisconnectAsync("alice-1=", CancellationToken.None);
        var afterFirstLeave = aws.Published("presence").Select(Status).ToList();
        await aws.Chat.DisconnectAsync("alice-2=", CancellationToken.None);

        Assert.Equal(["online"], afterFirstLeave);
        Assert.Equal(["online", "offline"], aws.Published("presence").Select(Status));
        Assert.All(aws.Published("presence"), e => Assert.Equal(JsonValueKind.Null, e.Detail.GetProperty("exceptConnectionId").ValueKind));

        static string? Status(PutEvent e) => e.Detail.GetProperty("frame").GetProperty("status").GetString();
    }

    [Fact]
    public async Task PingAndRejectedFramesAreAnsweredThroughPostToConnection()
    {
        await using var aws = await AwsModeApp.StartAsync();
        var alice = await aws.ConnectAsync("alice-1=", "Alice");

        await aws.SendFrameAsync(alice, new { action = "ping" });
        await aws.SendFrameAsync(alice, new { action = "dance" });

        var frames = aws.ApiGateway.Received("alice-1=").Select(f => JsonDocument.Parse(f).RootElement.GetProperty("type").GetString());
        Assert.Equal(["pong", "error"], frames);
    }

    [Theory]
    [InlineData("ping")]
    [InlineData("dance")]
    [InlineData("sendMessage")]
    public async Task ASenderWhoseOwnAnswerGets410IsRemovedAndAnnouncedOfflineWhenItWasTheirLastConnection(string action)
    {
        await using var aws = await AwsModeApp.StartAsync();
        var alice = await aws.ConnectAsync("alice-1=", "Alice");
        await aws.ConnectAsync("bob-1=", "Bob");
        aws.ApiGateway.Gone["alice-1="] = true;

        // The pong, the error for an unknown action, the ack: each is a PostToConnection.
        await aws.SendFrameAsync(alice, new { action, clientMessageId = "c-1", text = "hi" });

        Assert.Null(await aws.Store.GetConnectionAsync("alice-1=", CancellationToken.None));
        Assert.NotNull(await aws.Store.GetConnectionAsync("bob-1=", CancellationToken.None));
        var offline = Assert.Single(aws.Published("presence"), e => e.Detail.GetProperty("frame").GetProperty("status").GetString() == "offline");
        Assert.Equal("Alice", offline.Detail.GetProperty("frame").GetProperty("user").GetProperty("name").GetString());
    }

    [Fact]
    public async Task ASenderWithAnotherConnectionWhoseAnswerGets410IsRemovedWithoutBeingAnnouncedOffline()
    {
        await using var aws = await AwsModeApp.StartAsync();
        var alice = await aws.ConnectAsync("alice-1=", "Alice");
        await aws.ConnectAsync("alice-2=", "Alice");
        aws.ApiGateway.Gone["alice-1="] = true;

        await aws.SendFrameAsync(alice, new { action = "ping" });

        Assert.Null(await aws.Store.GetConnectionAsync("alice-1=", CancellationToken.None));
        Assert.NotNull(await aws.Store.GetConnectionAsync("alice-2=", CancellationToken.None));
        Assert.DoesNotContain(aws.Published("presence"), e => e.Detail.GetProperty("frame").GetProperty("status").GetString() == "offline");
    }

    [Fact]
    public async Task AStartInAwsModeKeepsTheConnectionsRecordedByEarlierInstances()
    {
        // Every Lambda cold start is a new instance; API Gateway still holds those sockets.
        await using var aws = await AwsModeApp.StartAsync();
        await aws.ConnectAsync("alice-1=", "Alice");

        await aws.App.RestartAsync();

        Assert.NotNull(await aws.Store.GetConnectionAsync("alice-1=", CancellationToken.None));
    }

    [Fact]
    public async Task KestrelsWebSocketRouteIsNotMappedInAwsMode()
    {
        await using var aws = await AwsModeApp.StartAsync(directInvocation: false);

        using var response = await aws.App.Http.GetAsync("/ws?room=lobby");

        // API Gateway owns the sockets in this mode: /ws does not exist, and says so as a problem.
        await ProblemAssert.IsProblemAsync(response, 404);
    }

    [Fact]
    public async Task TheAppRefusesToStartInEventBridgeModeWithoutARegion()
    {
        await using var apiGateway = new ApiGatewayManagementFake();
        await using var eventBridge = new EventBridgeFake();
        using var folder = new TempFolder();
        // Its own process: inside the tests' WebApplicationFactory, a host that fails this early can
        // be disposed by the app's Main before the factory looks at it, and the factory then reports
        // an ObjectDisposedException instead of the failure.
        var start = new ProcessStartInfo("dotnet", Path.Combine(AppContext.BaseDirectory, "ChatDemo.Web.dll"))
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in AwsModeApp.Settings(apiGateway, eventBridge)) start.Environment[key.Replace(":", "__")] = value;
        start.Environment["AWS_REGION"] = "";
        start.Environment["AWS_DEFAULT_REGION"] = "";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["Chat__Sqlite__Path"] = folder.File("chat.db");
        start.Environment["Chat__Sessions__SigningKey"] = ChatApp.TestSigningKey;

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }

        Assert.NotEqual(0, process.ExitCode);
        var printed = await output + await errors;
        Assert.Contains("AWS_REGION must name the AWS region", printed);
    }
}
