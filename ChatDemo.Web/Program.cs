using ChatDemo.Web.ApiGatewayWebSockets;
using ChatDemo.Web.Chat;
using ChatDemo.Web.ClientConfig;
using ChatDemo.Web.Configuration;
using ChatDemo.Web.Delivery;
using ChatDemo.Web.FanOut;
using ChatDemo.Web.Health;
using ChatDemo.Web.History;
using ChatDemo.Web.Http;
using ChatDemo.Web.Lambda;
using ChatDemo.Web.Page;
using ChatDemo.Web.Presence;
using ChatDemo.Web.Sessions;
using ChatDemo.Web.Storage;
using ChatDemo.Web.WebSockets;

// The page (wwwroot/ at the repository's top) is copied beside the binary in every build.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
});

// Shutdown: sockets close with 1001 at once; the host must be gone within 10 seconds.
builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(8));

builder.Services.AddChatOptions(builder.Configuration);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddChatHttp();
builder.Services.AddChatForwardedHeaders();
builder.Services.AddChatRateLimiting();
builder.Services.AddChatSwagger();
builder.Services.AddSessions();
builder.Services.AddChatStore(builder.Configuration);
builder.Services.AddChat();
builder.Services.AddChatFanOut(builder.Configuration);
builder.Services.AddDelivery();
builder.UseLambdaHostingWhenInLambda();

var app = builder.Build();

app.UseChatForwardedHeaders();
app.UseChatErrors();
app.UseChatPage();
app.UseChatSwagger();
app.UseChatWebSockets();
app.UseRateLimiter();

app.MapSessions();
app.MapHistory();
app.MapPresence();
app.MapClientConfig();
app.MapHealth();
app.MapChatWebSocket();
app.MapApiGatewayWebSockets();
app.MapDelivery();

app.Run();

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
