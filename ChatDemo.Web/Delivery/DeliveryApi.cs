using System.Text.Json;
using ChatDemo.Web.Http;
using ChatDemo.Web.Lambda;
using ChatDemo.Web.Telemetry;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChatDemo.Web.Delivery;

/// <summary>
/// The delivery workflow's entry point: a direct invocation of the function, which the Lambda
/// adapter turns into a POST to <see cref="InternalRoutes.Deliver"/> carrying
/// <see cref="IDirectInvocationFeature"/>. Without that feature (any request through API Gateway
/// or Kestrel) the route does not exist: 404.
/// </summary>
public static class DeliveryApi
{
    public static IEndpointRouteBuilder MapDelivery(this IEndpointRouteBuilder routes)
    {
        routes.MapPost(InternalRoutes.Deliver, DeliverAsync).ExcludeFromDescription();
        return routes;
    }

    private static async Task<Results<Ok<DeliveryReport>, ProblemHttpResult, NotFound>> DeliverAsync(
        HttpContext context, BatchDelivery delivery, ChatMetrics metrics, CancellationToken cancellationToken)
    {
        if (context.Features.Get<IDirectInvocationFeature>() is null) return TypedResults.NotFound();

        DeliveryBatch? batch;
        string error;
        try
        {
            using var payload = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: cancellationToken);
            batch = DeliveryBatch.TryParse(payload.RootElement, out error);
        }
        catch (JsonException e)
        {
            metrics.DeliveryBatchFailures.Add(1);
            return Problems.BadRequest($"The delivery payload is not JSON: {e.Message}");
        }
        if (batch is null)
        {
            metrics.DeliveryBatchFailures.Add(1);
            return Problems.BadRequest($"The delivery payload is not valid: {error}.");
        }

        return TypedResults.Ok(await delivery.DeliverAsync(batch, cancellationToken));
    }
}
