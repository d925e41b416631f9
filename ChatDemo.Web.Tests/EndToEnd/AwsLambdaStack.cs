using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using C = ChatDemo.Web.Storage.DynamoDb.DynamoDbTables.Connections;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Storage.DynamoDb;
using ChatDemo.Web.Tests.Aws;
using ChatDemo.Web.Tests.Lambda;
using ChatDemo.Web.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ChatDemo.Web.Tests.EndToEnd;

/// <summary>
/// The whole AWS path on one machine: the app in Lambda mode (<see cref="LambdaApp"/>, the
/// emulated Runtime API) storing in its own tables on dynalite, publishing room events to the
/// <see cref="EventBridgeFake"/> and posting frames through the <see cref="ApiGatewayManagementFake"/>,
/// both of which check every request's SigV4 signature. The test plays API Gateway (WebSocket
/// events) and the workflow (the ByRoom query and the delivery invocation).
/// </summary>
public sealed class AwsLambdaStack : IAsyncDisposable
{
    private readonly IAmazonDynamoDB _dynamoDb;
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection> _configureServices;
    private readonly List<LambdaApp> _moreInstances = [];

    private AwsLambdaStack(LambdaApp app, ApiGatewayManagementFake apiGateway, EventBridgeFake eventBridge,
        DynamoDbTableNames tables, IAmazonDynamoDB dynamoDb, Dictionary<string, string?> settings, Action<IServiceCollection> configureServices)
    {
        _settings = settings;
        _configureServices = configureServices;
        App = app;
        ApiGateway = apiGateway;
        EventBridge = eventBridge;
        Tables = tables;
        _dynamoDb = dynamoDb;
    }

    public LambdaApp App { get; }

    public ApiGatewayManagementFake ApiGateway { get; }

    public EventBridgeFake EventBridge { get; }

    public DynamoDbTableNames Tables { get; }

    public IChatStore Store => App.Services.GetRequiredService<IChatStore>();

    /// <param name="configureServices">Test services registered last (e.g. an in-memory span exporter).</param>
    /// <param name="moreSettings">Configuration over the stack's (e.g. <see cref="ChatApp.LiftedRateLimits"/>).</param>
    public static async Task<AwsLambdaStack> StartAsync(Action<IServiceCollection>? configureServices = null,
        IReadOnlyDictionary<string, string?>? moreSettings = null)
    {
        var apiGateway = new ApiGatewayManagementFake();
        var eventBridge = new EventBridgeFake();
        var tables = Dynalite.UniqueTableNames();
        var settings = AwsModeApp.Settings(apiGateway, eventBridge);
        foreach (var (key, value) in await Dynalite.StoreSettingsAsync(tables)) settings[key] = value;
        foreach (var (key, value) in moreSettings ?? new Dictionary<string, string?>()) settings[key] = value;
        void ConfigureServices(IServiceCollection services)
        {
            services.AddSingleton(AwsTestCredentials.Identity);
            configureServices?.Invoke(services);
        }
        var app = await LambdaApp.StartAsync(testEndpoints: false, settings, ConfigureServices);
        return new AwsLambdaStack(app, apiGateway, eventBridge, tables, await Dynalite.CreateClientAsync(), settings, ConfigureServices);
    }

    /// <summary>
    /// Another instance of the function on the same tables, bus and API, as Lambda runs when
    /// invocations overlap: each instance takes one invocation at a time, so only two instances
    /// make two changes race in the store. Disposed with the stack.
    /// </summary>
    public async Task<LambdaApp> StartAnotherInstanceAsync()
    {
        var instance = await LambdaApp.StartAsync(testEndpoints: false, _settings, _configureServices);
        _moreInstances.Add(instance);
        return instance;
    }

    /// <summary>API Gateway's <c>$connect</c> for a new guest session: the room and token in the query, as the page sends them.</summary>
    public async Task<string> ConnectAsync(string connectionId, string userName, string room = "lobby")
    {
        var session = await ApiGatewayWebSocketTests.CreateSessionAsync(App, userName);
        var result = await App.InvokeAsync(Events.WebSocketConnect(connectionId,
            new Dictionary<string, string> { ["room"] = room, ["token"] = session.Token }));
        Assert.Equal(200, result.Proxy.StatusCode);
        return session.UserId;
    }

    /// <summary>API Gateway's MESSAGE event for a frame the client sent on <paramref name="routeKey"/>.</summary>
    public Task SendAsync(string connectionId, object frame, string routeKey) => SendAsync(App, connectionId, frame, routeKey);

    /// <summary>The MESSAGE event handled by the given instance of the function.</summary>
    public static async Task SendAsync(LambdaApp instance, string connectionId, object frame, string routeKey)
    {
        var result = await instance.InvokeAsync(Events.WebSocketMessage(connectionId, routeKey, JsonSerializer.Serialize(frame)));
        Assert.Equal(200, result.Proxy.StatusCode);
    }

    /// <summary><c>GET /api/rooms/{room}/messages/{seq}</c> through API Gateway's HTTP API: one message's stored state.</summary>
    public async Task<JsonElement> GetMessageAsync(string room, long seq)
    {
        var answer = (await App.InvokeAsync(Events.HttpApiV2("GET", $"/api/rooms/{room}/messages/{seq}"))).Proxy;
        Assert.Equal(200, answer.StatusCode);
        return answer.BodyJson;
    }

    /// <summary>The room's connection ids as the workflow reads them: the ByRoom index, page by page.</summary>
    public async Task<IReadOnlyList<string>> RoomConnectionIdsAsync(string room)
    {
        var ids = new List<string>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await _dynamoDb.QueryAsync(new QueryRequest
            {
                TableName = Tables.Connections,
                IndexName = C.ByRoomIndex,
                KeyConditionExpression = "#room = :room",
                ExpressionAttributeNames = new() { ["#room"] = C.ByRoomPartitionKey },
                ExpressionAttributeValues = new() { [":room"] = new AttributeValue { S = room } },
                ProjectionExpression = C.PartitionKey,
                ExclusiveStartKey = start,
            });
            ids.AddRange(page.Items.Select(item => item[C.PartitionKey].S));
            start = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null);
        return ids;
    }

    /// <summary>
    /// Plays the workflow for one room event put on the bus: reads the room's connections from
    /// the ByRoom index and invokes the function directly with the delivery payload (one batch).
    /// Returns the function's answer, <c>{delivered, gone, failed}</c>.
    /// </summary>
    public async Task<JsonElement> DeliverAsync(PutEvent roomEvent)
    {
        var detail = roomEvent.Detail;
        var connectionIds = await RoomConnectionIdsAsync(detail.GetProperty("room").GetString()!);
        var payload = new Dictionary<string, object?>
        {
            ["chatDemo"] = "deliver",
            ["room"] = detail.GetProperty("room"),
            ["frame"] = detail.GetProperty("frame"),
            ["exceptConnectionId"] = detail.GetProperty("exceptConnectionId"),
            ["traceparent"] = detail.GetProperty("traceparent"),
            ["connectionIds"] = connectionIds,
        };
        var result = await App.InvokeAsync(JsonSerializer.Serialize(payload));
        Assert.False(result.IsError, $"the delivery invocation failed: {result.ErrorType}: {result.Text}");
        return result.Json;
    }

    /// <summary>Room events put on the bus, with the given kind (in the given room only, when named).</summary>
    public IReadOnlyList<PutEvent> Published(string kind, string? room = null) =>
        EventBridge.Events.Where(e => e.Detail.GetProperty("kind").GetString() == kind
                                      && (room is null || e.Detail.GetProperty("room").GetString() == room)).ToList();

    /// <summary>The management API calls made for the connection, by method (<c>POST</c> a frame, <c>DELETE</c> the connection), in order.</summary>
    public IReadOnlyList<string> ManagementCalls(string connectionId) =>
        ApiGateway.Calls.Where(c => ApiGatewayManagementFake.ConnectionIdOf(c.Request.RawTarget) == connectionId)
            .Select(c => c.Request.Method).ToList();

    /// <summary>Frames of the given type that PostToConnection accepted for the connection.</summary>
    public IReadOnlyList<JsonElement> Received(string connectionId, string type) =>
        ApiGateway.Received(connectionId).Select(f => JsonDocument.Parse(f).RootElement.Clone())
            .Where(f => f.GetProperty("type").GetString() == type)
            .ToList();

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _moreInstances) await instance.DisposeAsync();
        await App.DisposeAsync();
        _dynamoDb.Dispose();
        Assert.Empty(ApiGateway.SignatureFailures);
        Assert.Empty(EventBridge.SignatureFailures);
        await ApiGateway.DisposeAsync();
        await EventBridge.DisposeAsync();
    }
}
