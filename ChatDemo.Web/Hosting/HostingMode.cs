using ChatDemo.Web.Configuration;
using ChatDemo.Web.Lambda;

namespace ChatDemo.Web.Hosting;

/// <summary>
/// The three choices that make a hosting mode, read once at start and used by the composition
/// root (Program.cs) alone: every service and endpoint of the other choices stays unregistered.
/// </summary>
/// <param name="LambdaRuntimeApi">Set inside Lambda (<c>AWS_LAMBDA_RUNTIME_API</c>): serve Runtime API invocations instead of Kestrel's sockets.</param>
/// <param name="AwsFanOut"><c>Chat__FanOut=EventBridge</c>: room events go through EventBridge and the delivery workflow.</param>
/// <param name="DynamoDbStore"><c>Chat__Store=DynamoDb</c>: messages and connections in DynamoDB instead of SQLite.</param>
public sealed record HostingMode(string? LambdaRuntimeApi, bool AwsFanOut, bool DynamoDbStore)
{
    /// <summary>Inside Lambda: API Gateway owns the client sockets and calls the function per event.</summary>
    public bool InLambda => LambdaRuntimeApi is not null;

    /// <summary>Kestrel's own <c>/ws</c>: this process holds the sockets and fans out to them itself.</summary>
    public bool ServesWebSockets => !InLambda && !AwsFanOut;

    /// <summary>
    /// Read from configuration, which includes the environment, so tests can choose a mode with
    /// settings. A misspelt value falls back to the default so that the service graph builds and
    /// the options validation at start reports it by name.
    /// </summary>
    public static HostingMode Read(IConfiguration configuration)
    {
        var runtimeApi = configuration[LambdaHostingExtensions.RuntimeApiVariable];
        return new HostingMode(
            string.IsNullOrEmpty(runtimeApi) ? null : runtimeApi,
            configuration[$"{ChatOptions.SectionName}:{nameof(ChatOptions.FanOut)}"] == FanOutKinds.EventBridge,
            configuration[$"{ChatOptions.SectionName}:{nameof(ChatOptions.Store)}"] == StoreKinds.DynamoDb);
    }
}
