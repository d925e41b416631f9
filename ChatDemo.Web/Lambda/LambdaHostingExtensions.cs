using ChatDemo.Web.WebSockets;
using Microsoft.AspNetCore.Hosting.Server;

namespace ChatDemo.Web.Lambda;

public static class LambdaHostingExtensions
{
    /// <summary>Set by Lambda in every execution environment: host and port of the Runtime API.</summary>
    public const string RuntimeApiVariable = "AWS_LAMBDA_RUNTIME_API";

    /// <summary>
    /// Inside Lambda (<c>AWS_LAMBDA_RUNTIME_API</c> set), serves Runtime API invocations instead of
    /// Kestrel's sockets; anywhere else, changes nothing. Read from configuration, which includes
    /// the environment, so tests can point one app at an emulated Runtime API.
    /// </summary>
    public static WebApplicationBuilder UseLambdaHostingWhenInLambda(this WebApplicationBuilder builder)
    {
        var runtimeApi = builder.Configuration[RuntimeApiVariable];
        if (string.IsNullOrEmpty(runtimeApi)) return builder;

        var runtime = new LambdaRuntimeClient(runtimeApi);
        builder.Services.AddSingleton(runtime);
        builder.Services.AddSingleton<LambdaInvocationRunner>();
        // Registered after Kestrel's, so this is the IServer the host resolves.
        builder.Services.AddSingleton<IServer, LambdaServer>();
        // This process owns no socket here: at start, the in-process lifetime would forget every
        // connection that other instances recorded. (Program.cs calls this after AddChatFanOut.)
        var inProcessLifetime = builder.Services.Where(d => d.ImplementationType == typeof(InProcessConnectionLifetime)).ToArray();
        foreach (var descriptor in inProcessLifetime) builder.Services.Remove(descriptor);

        // A failure before the first invocation (bad configuration, a store that cannot be reached)
        // escapes Main; Lambda learns why through init/error rather than a bare exit code.
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            if (runtime.InitCompleted || e.ExceptionObject is not Exception exception) return;
            try
            {
                runtime.PostInitError(exception.GetType().FullName ?? "Runtime.InitError", exception.Message);
            }
            catch (Exception)
            {
                // The process is going down either way; Lambda still sees the exit.
            }
        };
        return builder;
    }
}
