using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ChatDemo.Web.Tests.Aws;

/// <summary>One event EventBridge accepted.</summary>
public sealed record PutEvent(string Source, string DetailType, JsonElement Detail, string? EventBusName);

/// <summary>
/// EventBridge's PutEvents (JSON 1.1 on <c>/</c>, <c>X-Amz-Target: AWSEvents.PutEvents</c>). Checks
/// each entry (Source, DetailType, Detail a JSON object); tests can throttle or fail whole requests
/// and reject chosen entries a number of times (<c>FailedEntryCount</c>).
/// </summary>
public sealed class EventBridgeFake() : FakeAwsService("events")
{
    private readonly ConcurrentQueue<(int Status, string Type, string Message)> _requestFailures = new();
    private readonly ConcurrentQueue<PutEvent> _accepted = new();
    private Func<PutEvent, bool>? _rejectWhere;
    private int _rejectionsLeft;
    private string _rejectCode = "InternalFailure";

    public IReadOnlyList<PutEvent> Events => [.. _accepted];

    /// <summary>The entries of each PutEvents request that arrived, in order.</summary>
    public ConcurrentQueue<IReadOnlyList<PutEvent>> Requests { get; } = new();

    /// <summary>The next <paramref name="times"/> requests are answered with the error.</summary>
    public void FailRequests(int times, int status, string type, string message)
    {
        for (var i = 0; i < times; i++) _requestFailures.Enqueue((status, type, message));
    }

    /// <summary>Entries matching <paramref name="where"/> are rejected with <paramref name="code"/>, <paramref name="times"/> times in all.</summary>
    public void RejectEntries(Func<PutEvent, bool> where, int times, string code = "InternalFailure")
    {
        _rejectCode = code;
        _rejectionsLeft = times;
        _rejectWhere = where;
    }

    protected override async Task HandleVerifiedAsync(HttpContext context, RecordedCall call)
    {
        if (call.Request.RawTarget != "/" || call.Request.Header("X-Amz-Target") != "AWSEvents.PutEvents")
        {
            await WriteErrorAsync(context, 400, "UnknownOperationException", $"{call.Request.RawTarget} {call.Request.Header("X-Amz-Target")}");
            return;
        }
        if (call.Request.Header("Content-Type") != "application/x-amz-json-1.1")
        {
            await WriteErrorAsync(context, 400, "SerializationException", $"Content-Type {call.Request.Header("Content-Type")}");
            return;
        }
        if (_requestFailures.TryDequeue(out var failure))
        {
            await WriteErrorAsync(context, failure.Status, failure.Type, failure.Message);
            return;
        }

        List<PutEvent> entries;
        try
        {
            entries = ParseEntries(call.Request.Body);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            await WriteErrorAsync(context, 400, "ValidationException", e.Message);
            return;
        }
        Requests.Enqueue(entries);

        var failed = 0;
        var results = new List<object>();
        foreach (var entry in entries)
        {
            if (_rejectWhere?.Invoke(entry) == true && Interlocked.Decrement(ref _rejectionsLeft) >= 0)
            {
                failed++;
                results.Add(new Dictionary<string, string> { ["ErrorCode"] = _rejectCode, ["ErrorMessage"] = "rejected by the test" });
                continue;
            }
            _accepted.Enqueue(entry);
            results.Add(new Dictionary<string, string> { ["EventId"] = Guid.NewGuid().ToString() });
        }
        context.Response.ContentType = "application/x-amz-json-1.1";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, object> { ["FailedEntryCount"] = failed, ["Entries"] = results }));
    }

    private static List<PutEvent> ParseEntries(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var entries = document.RootElement.GetProperty("Entries").EnumerateArray().ToList();
        if (entries.Count is < 1 or > 10) throw new InvalidOperationException($"PutEvents takes 1-10 entries, got {entries.Count}");
        return entries.Select(e =>
        {
            using var detail = JsonDocument.Parse(e.GetProperty("Detail").GetString()!);
            if (detail.RootElement.ValueKind != JsonValueKind.Object) throw new InvalidOperationException("Detail must be a JSON object");
            return new PutEvent(
                e.GetProperty("Source").GetString()!,
                e.GetProperty("DetailType").GetString()!,
                detail.RootElement.Clone(),
                e.TryGetProperty("EventBusName", out var bus) ? bus.GetString() : null);
        }).ToList();
    }
}
