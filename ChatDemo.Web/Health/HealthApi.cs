using ChatDemo.Web.Chat;
using ChatDemo.Web.Http;
using ChatDemo.Web.Rooms;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatDemo.Web.Health;

public static class HealthApi
{
    /// <summary>Checks tagged so are about the process itself: it answers.</summary>
    public const string LiveTag = "live";

    /// <summary>Checks tagged so must pass before the app can serve chat: the store answers.</summary>
    public const string ReadyTag = "ready";

    public static IServiceCollection AddChatHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck("process", () => HealthCheckResult.Healthy(), tags: [LiveTag])
            .AddCheck<StoreHealthCheck>("store", tags: [ReadyTag]);
        return services;
    }

    /// <summary>
    /// <c>/health/live</c> and <c>/health/ready</c> (plain-text status, 200 or 503, for orchestrators),
    /// and <c>/health</c>: the readiness checks in the JSON and problem shape protocol.md documents.
    /// </summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        routes.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) });
        routes.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        routes.MapGet("/health", CheckHealth)
            .WithName("GetHealth")
            .WithTags("Health")
            .WithSummary("Is the service and its store up")
            .WithDescription("200 when the store answers, 503 (problem+json) when it does not.")
            .Produces<HealthView>()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return routes;
    }

    private static async Task<Results<Ok<HealthView>, ProblemHttpResult>> CheckHealth(HealthCheckService health, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(check => check.Tags.Contains(ReadyTag), cancellationToken);
        return report.Status == HealthStatus.Healthy
            ? TypedResults.Ok(new HealthView("healthy"))
            : Problems.Unavailable("The message store is not answering; messages cannot be stored or read right now.");
    }
}

/// <summary>Health status.</summary>
/// <param name="Status">"healthy".</param>
public sealed record HealthView(string Status);

/// <summary>Ready when the store answers a probe within <see cref="Timeout"/>.</summary>
internal sealed class StoreHealthCheck(IChatStore store, IRoomStore rooms, ILogger<StoreHealthCheck> logger) : IHealthCheck
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            await store.CheckHealthAsync(timeout.Token);
            // The rooms' store too (v1.2): a private room's checks read it on every upgrade.
            await rooms.CheckHealthAsync(timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            HealthLog.StoreUnhealthy(logger, e);
            return HealthCheckResult.Unhealthy("The message store did not answer.", e);
        }
    }
}

internal static partial class HealthLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Error, Message = "Health check: the store did not answer")]
    public static partial void StoreUnhealthy(ILogger logger, Exception exception);
}
