using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ChatDemo.Web.Tests.Infra;

/// <summary>
/// Stands in for the function's delivery path while the workflow runs locally: a real HTTP
/// endpoint (Kestrel, port 0) that receives each batch payload the workflow's Lambda task sends,
/// checks it against the delivery contract, records who received the frame and answers as the
/// function does (<c>{delivered, gone, failed}</c>). It can play a connection that answers 410,
/// Lambda throttling (429) and a batch that keeps failing (500).
/// </summary>
internal sealed class RecordingDeliveryEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly JsonObject _expectedEvent;
    private int _requests;

    private RecordingDeliveryEndpoint(WebApplication app, JsonObject expectedEvent)
    {
        _app = app;
        _expectedEvent = expectedEvent;
    }

    public Uri Url => new(_app.Urls.Single() + "/deliver");

    /// <summary>How many times each connection was sent the frame (batches answered 200 only).</summary>
    public ConcurrentDictionary<string, int> Deliveries { get; } = new(StringComparer.Ordinal);

    /// <summary>The connectionIds of every accepted batch.</summary>
    public ConcurrentQueue<string[]> Batches { get; } = new();

    /// <summary>What a payload had wrong; the batch is then answered 400.</summary>
    public ConcurrentQueue<string> Problems { get; } = new();

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>This connection answers 410 Gone: reported in <c>gone</c>, not delivered.</summary>
    public string? GoneConnectionId { get; init; }

    /// <summary>The first this-many requests are answered 429, as Lambda does when throttling.</summary>
    public int ThrottledRequests { get; init; }

    /// <summary>A batch holding this connection is answered 500 every time.</summary>
    public string? FailingConnectionId { get; init; }

    /// <param name="expectedEvent">The event's <c>detail</c>: every payload must carry its room, frame, exceptConnectionId and traceparent.</param>
    public static async Task<RecordingDeliveryEndpoint> StartAsync(
        JsonObject expectedEvent, string? goneConnectionId = null, int throttledRequests = 0, string? failingConnectionId = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var endpoint = new RecordingDeliveryEndpoint(app, expectedEvent)
        {
            GoneConnectionId = goneConnectionId,
            ThrottledRequests = throttledRequests,
            FailingConnectionId = failingConnectionId,
        };
        app.MapPost("/deliver", endpoint.DeliverAsync);
        await app.StartAsync();
        return endpoint;
    }

    private async Task<IResult> DeliverAsync(HttpRequest request)
    {
        var attempt = Interlocked.Increment(ref _requests);
        var payload = await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted) as JsonObject;
        var ids = Check(payload);
        if (ids is null) return Results.BadRequest();
        if (attempt <= ThrottledRequests) return Results.Json(new { message = "Rate Exceeded." }, statusCode: 429);
        if (FailingConnectionId is not null && ids.Contains(FailingConnectionId)) return Results.Json(new { message = "boom" }, statusCode: 500);

        Batches.Enqueue(ids);
        var gone = ids.Where(id => id == GoneConnectionId).ToArray();
        foreach (var id in ids.Except(gone)) Deliveries.AddOrUpdate(id, 1, (_, count) => count + 1);
        return Results.Json(new { delivered = ids.Length - gone.Length, gone, failed = Array.Empty<object>() });
    }

    private string[]? Check(JsonObject? payload)
    {
        var problems = new List<string>();
        if (payload is null) problems.Add("not a JSON object");
        else
        {
            if ((string?)payload["chatDemo"] != "deliver") problems.Add("chatDemo is not 'deliver'");
            foreach (var field in new[] { "room", "frame", "exceptConnectionId", "traceparent" })
            {
                if (!JsonNode.DeepEquals(payload[field], _expectedEvent[field])) problems.Add($"{field} differs from the event's: {payload[field]?.ToJsonString()}");
            }
            if (payload["connectionIds"] is not JsonArray ids || ids.Count is < 1 or > 100 || ids.Any(id => id?.GetValueKind() != System.Text.Json.JsonValueKind.String))
                problems.Add($"connectionIds is not 1-100 strings: {payload["connectionIds"]?.ToJsonString()}");
        }
        foreach (var problem in problems) Problems.Enqueue(problem);
        return problems.Count == 0 ? payload!["connectionIds"]!.AsArray().Select(id => (string)id!).ToArray() : null;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
