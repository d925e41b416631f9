using ChatDemo.Web.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace ChatDemo.Web.Tests.Unit;

public sealed class ChatOptionsValidatorTests
{
    private const string Key = "unit-test-signing-key-0123456789abcdef";

    private static string[] Failures(ChatOptions options, string environment = "Production")
    {
        var validator = new ChatOptionsValidator(new HostingEnvironment { EnvironmentName = environment });
        var result = validator.Validate(null, options);
        return result.Failed ? result.Failures.ToArray() : [];
    }

    private static ChatOptions Valid() => new() { Sessions = { SigningKey = Key } };

    [Fact]
    public void TheDefaultsWithASigningKeyAreValid() => Assert.Empty(Failures(Valid()));

    [Fact]
    public void DevelopmentNeedsNoSigningKey() => Assert.Empty(Failures(new ChatOptions(), Environments.Development));

    public static TheoryData<string, Action<ChatOptions>> BadSettings => new()
    {
        { "Chat__MessageRetentionDays", o => o.MessageRetentionDays = 0 },
        { "Chat__MessageRetentionDays", o => o.MessageRetentionDays = 3651 },
        { "Chat__Store", o => o.Store = "Foo" },
        { "Chat__Store", o => o.Store = "sqlite" },
        { "Chat__FanOut", o => o.FanOut = "Carrier pigeon" },
        { "Chat__Sessions__SigningKey", o => o.Sessions.SigningKey = null },
        { "Chat__Sessions__SigningKey", o => o.Sessions.SigningKey = "short" },
        { "Chat__Sessions__LifetimeHours", o => o.Sessions.LifetimeHours = 1 },
        { "Chat__WebSocketUrl", o => o.WebSocketUrl = "http://example.com/ws" },
        { "Chat__WebSocketUrl", o => o.WebSocketUrl = "not a url" },
        { "Chat__AllowedOrigins", o => o.AllowedOrigins = "https://ok.example.com, chat.example.com" },
        { "Chat__DynamoDb__ServiceUrl", o => o.DynamoDb.ServiceUrl = "localhost:8000" },
        { "Chat__DynamoDb__MessagesTable", o => { o.Store = StoreKinds.DynamoDb; o.DynamoDb.MessagesTable = " "; } },
        { "Chat__DynamoDb__RoomsTable", o => { o.Store = StoreKinds.DynamoDb; o.DynamoDb.RoomsTable = ""; } },
        { "Chat__DynamoDb__CallTimeoutSeconds", o => { o.Store = StoreKinds.DynamoDb; o.DynamoDb.CallTimeoutSeconds = 0; } },
        { "Chat__DynamoDb__CallTimeoutSeconds", o => { o.Store = StoreKinds.DynamoDb; o.DynamoDb.CallTimeoutSeconds = 61; } },
        { "Chat__EventBridge__BusName", o => { o.FanOut = FanOutKinds.EventBridge; o.ApiGateway.ManagementEndpoint = "https://x.example.com/prod"; } },
        { "Chat__ApiGateway__ManagementEndpoint", o => { o.FanOut = FanOutKinds.EventBridge; o.EventBridge.BusName = "chat"; } },
        { "Chat__Limits__SendBurst", o => o.Limits.SendBurst = 0 },
        { "Chat__Limits__SendQueueFrames", o => o.Limits.SendQueueFrames = -1 },
        { "Chat__Limits__MaxFrameBytes", o => o.Limits.MaxFrameBytes = 10 },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void ABadValueFailsNamingTheSetting(string setting, Action<ChatOptions> spoil)
    {
        var options = Valid();
        spoil(options);
        var failures = Failures(options);
        Assert.Contains(failures, f => f.Contains(setting, StringComparison.Ordinal));
    }
}
