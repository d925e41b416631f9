using ChatDemo.Web.Lambda;

namespace EmptyApp;

/// <summary>
/// Nothing but the host, the Lambda adapter ChatDemo uses and a constant <c>/health</c>: what any
/// minimal-API app pays to start, in either hosting mode. (A class rather than top-level
/// statements, whose <c>Program</c> would clash with ChatDemo.Web's.)
/// </summary>
public static class EntryPoint
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddSingleton(TimeProvider.System); // the adapter's one dependency
        if (builder.Configuration[LambdaHostingExtensions.RuntimeApiVariable] is { Length: > 0 } runtimeApi)
            builder.UseLambdaHosting(runtimeApi);
        var app = builder.Build();
        app.MapGet("/health", () => TypedResults.Ok(new { status = "healthy" }));
        app.Run();
    }
}
