using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace ChatDemo.Web.Tests.Aws;

/// <summary>
/// The API Gateway Management API of stage <c>prod</c>: <c>POST|GET|DELETE /prod/@connections/{id}</c>,
/// where the id must arrive as one percent-encoded segment (a raw <c>/</c> in it is a 404, as on AWS).
/// Connections answer 200 unless a test made them gone (410), failing (500), throttled (429 a
/// number of times), forbidden (403); frames over 128 KB are 413, a DELETE or GET with a body 400.
/// A deleted connection is gone from then on, as API Gateway's is.
/// </summary>
public sealed class ApiGatewayManagementFake() : FakeAwsService("execute-api")
{
    public const string Stage = "prod";
    public const int MaxFrameBytes = 128 * 1024;

    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _received = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _throttles = new(StringComparer.Ordinal);

    /// <summary>What <c>Chat__ApiGateway__ManagementEndpoint</c> is set to.</summary>
    public Uri ManagementEndpoint => new(BaseUri, Stage);

    public ConcurrentDictionary<string, bool> Gone { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, bool> Failing { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, bool> Forbidden { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> Deleted { get; } = new();

    /// <summary>How long each accepted post takes, to observe concurrency.</summary>
    public TimeSpan PostDelay { get; set; }

    /// <summary>The most posts that were in progress at once.</summary>
    public int MaxConcurrentPosts => _maxInFlight;

    private int _inFlight;
    private int _maxInFlight;

    /// <summary>The next <paramref name="times"/> calls for the connection answer 429.</summary>
    public void Throttle(string connectionId, int times) => _throttles[connectionId] = times;

    /// <summary>Frames posted to the connection, in order.</summary>
    public IReadOnlyList<string> Received(string connectionId) =>
        _received.TryGetValue(connectionId, out var frames) ? [.. frames] : [];

    /// <summary>Calls (of any method) that addressed the connection.</summary>
    public int CallsFor(string connectionId) => Calls.Count(c => ConnectionIdOf(c.Request.RawTarget) == connectionId);

    /// <summary>The connection id a request target names, decoded; null when the target is not one connection.</summary>
    public static string? ConnectionIdOf(string rawTarget)
    {
        var prefix = $"/{Stage}/@connections/";
        if (!rawTarget.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var segment = rawTarget[prefix.Length..];
        return segment.Length == 0 || segment.Contains('/') || segment.Contains('?') ? null : Uri.UnescapeDataString(segment);
    }

    protected override async Task HandleVerifiedAsync(HttpContext context, RecordedCall call)
    {
        var connectionId = ConnectionIdOf(call.Request.RawTarget);
        if (connectionId is null)
        {
            await WriteErrorAsync(context, StatusCodes.Status404NotFound, "NotFoundException", $"no route for {call.Request.RawTarget}");
            return;
        }
        if (Forbidden.ContainsKey(connectionId))
        {
            await WriteErrorAsync(context, StatusCodes.Status403Forbidden, "ForbiddenException", "Forbidden");
            return;
        }
        if (_throttles.TryGetValue(connectionId, out var remaining) && remaining > 0 && _throttles.TryUpdate(connectionId, remaining - 1, remaining))
        {
            await WriteErrorAsync(context, StatusCodes.Status429TooManyRequests, "LimitExceededException", "Too Many Requests");
            return;
        }
        if (Failing.ContainsKey(connectionId))
        {
            await WriteErrorAsync(context, StatusCodes.Status500InternalServerError, "InternalServerErrorException", "Internal server error");
            return;
        }
        if (Gone.ContainsKey(connectionId))
        {
            await WriteErrorAsync(context, StatusCodes.Status410Gone, "GoneException", "");
            return;
        }

        switch (call.Request.Method)
        {
            case "POST" when call.Request.Body.Length > MaxFrameBytes:
                await WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, "PayloadTooLargeException", "Message too long");
                return;
            case "POST":
                var inFlight = Interlocked.Increment(ref _inFlight);
                InterlockedMax(ref _maxInFlight, inFlight);
                if (PostDelay > TimeSpan.Zero) await Task.Delay(PostDelay);
                Interlocked.Decrement(ref _inFlight);
                _received.GetOrAdd(connectionId, _ => new()).Enqueue(Encoding.UTF8.GetString(call.Request.Body));
                context.Response.StatusCode = StatusCodes.Status200OK;
                return;
            case "DELETE" or "GET" when call.Request.Body.Length > 0:
                // DeleteConnection and GetConnection take no body; one that arrives is a bug of the client.
                await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "BadRequestException", $"{call.Request.Method} with a body");
                return;
            case "DELETE":
                Deleted.Enqueue(connectionId);
                Gone[connectionId] = true;
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            case "GET":
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(
                    """{"connectedAt":"2026-01-02T03:04:05.000Z","identity":{"sourceIp":"192.0.2.7","userAgent":"test-agent"},"lastActiveAt":"2026-01-02T03:05:00.000Z"}""");
                return;
            default:
                await WriteErrorAsync(context, StatusCodes.Status405MethodNotAllowed, "MethodNotAllowed", call.Request.Method);
                return;
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var current = target; value > current; current = target)
            if (Interlocked.CompareExchange(ref target, value, current) == current) return;
    }
}
