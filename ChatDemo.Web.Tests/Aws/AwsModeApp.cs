using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ChatDemo.Web.Aws;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Lambda;
using ChatDemo.Web.Tests.TestInfrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ChatDemo.Web.Tests.Aws;

/// <summary>
/// The app in AWS fan-out mode (<c>Chat__FanOut=EventBridge</c>) on real Kestrel and SQLite, its
/// AWS endpoints served by the signature-checking fakes. With <c>directInvocation</c> every request
/// carries <see cref="IDirectInvocationFeature"/>, as the Lambda adapter sets it for the workflow's
/// invocations, so a test can play the workflow by POSTing to the delivery route.
/// </summary>
public sealed class AwsModeApp : IAsyncDisposable
{
    public const string BusName = "chatdemo-test-bus";

    private AwsModeApp(ChatApp app, ApiGatewayManagementFake apiGateway, EventBridgeFake eventBridge)
    {
        App = app;
        ApiGateway = apiGateway;
        EventBridge = eventBridge;
    }

    public ChatApp App { get; }

    public ApiGatewayManagementFake ApiGateway { get; }

    public EventBridgeFake EventBridge { get; }

    public ChatService Chat => App.Services.GetRequiredService<ChatService>();

    public IChatStore Store => App.Services.GetRequiredService<IChatStore>();

    public static async Task<AwsModeApp> StartAsync(bool directInvocation = true)
    {
        var apiGateway = new ApiGatewayManagementFake();
        var eventBridge = new EventBridgeFake();
        var app = await ChatApp.StartAsync(Settings(apiGateway, eventBridge), web => web.ConfigureTestServices(services =>
        {
            services.AddSingleton(AwsTestCredentials.Identity);
            if (directInvocation) services.AddSingleton<IStartupFilter, DirectInvocationStartupFilter>();
        }));
        return new AwsModeApp(app, apiGateway, eventBridge);
    }

    public static Dictionary<string, string?> Settings(ApiGatewayManagementFake apiGateway, EventBridgeFake eventBridge) => new()
    {
        ["Chat:FanOut"] = "EventBridge",
        ["Chat:EventBridge:BusName"] = BusName,
        ["Chat:EventBridge:ServiceUrl"] = eventBridge.BaseUri.AbsoluteUri,
        ["Chat:ApiGateway:ManagementEndpoint"] = apiGateway.ManagementEndpoint.AbsoluteUri,
        ["AWS_REGION"] = AwsTestCredentials.Region,
    };

    /// <summary>Records a connection as the <c>$connect</c> route does.</summary>
    public async Task<ChatClient> ConnectAsync(string connectionId, string userName, string room = "lobby")
    {
        var user = new ChatUser("user-" + userName.ToLowerInvariant(), userName);
        await Chat.ConnectAsync(new ChatConnection(connectionId, room, user, DateTimeOffset.UtcNow), CancellationToken.None);
        return new ChatClient(connectionId, room, user);
    }

    public Task<FrameOutcome> SendFrameAsync(ChatClient client, object frame) =>
        Chat.HandleFrameAsync(client, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(frame)), CancellationToken.None);

    /// <summary>Plays the workflow: the direct invocation of one delivery batch.</summary>
    public Task<HttpResponseMessage> DeliverAsync(object payload) => App.Http.PostAsJsonAsync(InternalRoutes.Deliver, payload);

    /// <summary>Room events put on the bus, with the given kind.</summary>
    public IReadOnlyList<PutEvent> Published(string kind) =>
        EventBridge.Events.Where(e => e.Detail.GetProperty("kind").GetString() == kind).ToList();

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        Assert.Empty(ApiGateway.SignatureFailures);
        Assert.Empty(EventBridge.SignatureFailures);
        await ApiGateway.DisposeAsync();
        await EventBridge.DisposeAsync();
    }

    private sealed class DirectInvocationStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Features.Set<IDirectInvocationFeature>(new DirectInvocation(context.TraceIdentifier));
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    private sealed record DirectInvocation(string RequestId) : IDirectInvocationFeature;
}
