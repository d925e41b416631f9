using ChatDemo.Web.Chat;
using ChatDemo.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChatDemo.Web.Health;

public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", CheckHealth)
            .WithName("GetHealth")
            .WithTags("Health")
            .WithSummary("Is the service and its store up")
            .WithDescription("200 when the store answers, 503 (problem+json) when it does not.")
            .Produces<HealthView>()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return routes;
    }

    private static async Task<Results<Ok<HealthView>, ProblemHttpResult>> CheckHealth(
        IChatStore store, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await store.CheckHealthAsync(timeout.Token);
            return TypedResults.Ok(new HealthView("healthy"));
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            HealthLog.StoreUnhealthy(loggers.CreateLogger(typeof(HealthApi).FullName!), e);
            return Problems.Unavailable("The message store is not answering; messages cannot be stored or read right now.");
        }
    }
}

/// <summary>Health status.</summary>
/// <param name="Status">"healthy".</param>
public sealed record HealthView(string Status);

internal static partial class HealthLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Error, Message = "Health check: the store did not answer")]
    public static partial void StoreUnhealthy(ILogger logger, Exception exception);
}
