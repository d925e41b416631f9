using ChatDemo.Web.Accounts;
using ChatDemo.Web.ApiGatewayWebSockets;
using ChatDemo.Web.Aws;
using ChatDemo.Web.Chat;
using ChatDemo.Web.ClientConfig;
using ChatDemo.Web.Configuration;
using ChatDemo.Web.Delivery;
using ChatDemo.Web.Health;
using ChatDemo.Web.History;
using ChatDemo.Web.Hosting;
using ChatDemo.Web.Http;
using ChatDemo.Web.Lambda;
using ChatDemo.Web.Observability;
using ChatDemo.Web.Page;
using ChatDemo.Web.Presence;
using ChatDemo.Web.Rooms;
using ChatDemo.Web.Sessions;
using ChatDemo.Web.Storage.DynamoDb;
using ChatDemo.Web.Storage.Sqlite;
using ChatDemo.Web.WebSockets;

// The composition root: the only place that knows both hosting modes. The mode is read once,
// and only its services are registered and only its endpoints mapped (docs/architecture.md).

// The page (wwwroot/ at the repository's top) is copied beside the binary in every build.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
});
var mode = HostingMode.Read(builder.Configuration);

// Shutdown: sockets close with 1001 at once; the host must be gone within 10 seconds.
builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(8));

builder.AddChatObservability(mode.InLambda);
builder.Services.AddChatOptions(builder.Configuration);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddChatHttp();
builder.Services.AddChatForwardedHeaders();
builder.Services.AddChatRateLimiting();
builder.Services.AddChatSwagger();
builder.Services.AddSessions();
builder.Services.AddAccounts();
builder.Services.AddChat();
builder.Services.AddRooms();
builder.Services.AddChatHealth();

if (mode.DynamoDbStore) builder.Services.AddDynamoDbStore();
else builder.Services.AddSqliteStore();
// Inside Lambda a user's frames reach many instances: their send budget lives in the table.
if (mode.InLambda && mode.DynamoDbStore) builder.Services.AddDynamoDbSendBudgets();

if (mode.AwsFanOut) builder.Services.AddAwsFanOut(builder.Configuration).AddDelivery();
else builder.Services.AddInProcessFanOut();

if (mode.ServesWebSockets) builder.Services.AddKestrelWebSockets();
if (mode.InLambda) builder.UseLambdaHosting(mode.LambdaRuntimeApi!);

var app = builder.Build();

app.UseChatForwardedHeaders();
app.UseChatErrors();
app.UseChatPage();
app.UseChatSwagger();
if (mode.ServesWebSockets) app.UseChatWebSockets();
app.UseRateLimiter();

app.MapSessions();
var rooms = app.MapRooms(app.MapRoomRoutes());
rooms.MapHistory();
rooms.MapPresence();
app.MapClientConfig();
app.MapHealth();
app.MapChatMetrics();
if (mode.ServesWebSockets) app.MapChatWebSocket();
if (mode.InLambda) app.MapApiGatewayWebSockets();
if (mode.AwsFanOut) app.MapDelivery();

app.Run();

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
