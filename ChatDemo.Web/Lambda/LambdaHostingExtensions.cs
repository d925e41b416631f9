using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatDemo.Web.Lambda;

public static class LambdaHostingExtensions
{
    /// <summary>Set by Lambda in every execution environment: host and port of the Runtime API.</summary>
    public const string RuntimeApiVariable = "AWS_LAMBDA_RUNTIME_API";

    /// <summary>
    /// Serves invocations pulled from the Runtime API at <paramref name="runtimeApi"/> (host and
    /// port, from <see cref="RuntimeApiVariable"/>) instead of Kestrel's sockets.
    /// </summary>
    public static WebApplicationBuilder UseLambdaHosting(this WebApplicationBuilder builder, string runtimeApi)
    {
        var runtime = new LambdaRuntimeClient(runtimeApi);
        builder.Services.AddSingleton(runtime);
        builder.Services.AddSingleton<LambdaInvocationRunner>();
        // The web host has registered Kestrel as the server already; this takes its place.
        builder.Services.Replace(ServiceDescriptor.Singleton<IServer, LambdaServer>());

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
