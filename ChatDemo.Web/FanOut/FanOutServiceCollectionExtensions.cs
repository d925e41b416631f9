using ChatDemo.Web.Aws;
using ChatDemo.Web.Configuration;
using ChatDemo.Web.WebSockets;

namespace ChatDemo.Web.FanOut;

public static class FanOutServiceCollectionExtensions
{
    /// <summary>The fan-out chosen by <c>Chat__FanOut</c>: in process (Kestrel's sockets) or EventBridge (AWS).</summary>
    public static IServiceCollection AddChatFanOut(this IServiceCollection services, IConfiguration configuration)
    {
        var fanOut = configuration[$"{ChatOptions.SectionName}:{nameof(ChatOptions.FanOut)}"] ?? FanOutKinds.InProcess;
        return fanOut == FanOutKinds.EventBridge
            ? services.AddAwsFanOut(configuration)
            : services.AddInProcessWebSockets();
    }
}
