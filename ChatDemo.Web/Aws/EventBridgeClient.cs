using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using ChatDemo.Web.Telemetry;

namespace ChatDemo.Web.Aws;

/// <summary>
/// EventBridge's <c>PutEvents</c> (JSON 1.1, <c>X-Amz-Target: AWSEvents.PutEvents</c>), on
/// <c>Chat__EventBridge__ServiceUrl</c> or <c>https://events.{region}.amazonaws.com</c>.
/// </summary>
/// <remarks>
/// PutEvents can succeed as a request and still reject some entries (<c>FailedEntryCount</c>, an
/// <c>ErrorCode</c> on those entries): the transient ones (throttling, internal failure) are sent
/// again, alone, with backoff; entries that were accepted are never sent twice.
/// </remarks>
public sealed class EventBridgeClient(HttpClient http, TimeProvider time, ILogger<EventBridgeClient> logger)
{
    public const string ServiceName = "events";

    /// <summary>The name logs and errors use.</summary>
    public const string ServiceLabel = "EventBridge";

    /// <summary>PutEvents takes at most 10 entries per request.</summary>
    public const int MaxEntriesPerRequest = 10;

    private static readonly string[] TransientEntryErrors = ["ThrottlingException", "InternalFailure", "InternalException", "ServiceUnavailable"];

    private readonly AwsHttpSender _sender = new(http, ServiceLabel);

    /// <summary>Puts every entry; returns their event ids in order.</summary>
    /// <exception cref="PutEventsFailedException">Some entries were still rejected after the retries.</exception>
    /// <exception cref="AwsServiceException">The request itself failed (403, validation, throttling or 5xx after the retries).</exception>
    public async Task<IReadOnlyList<string>> PutEventsAsync(IReadOnlyList<EventEntry> entries, CancellationToken cancellationToken)
    {
        using var span = ChatTelemetry.ActivitySource.StartActivity("eventbridge PutEvents", ActivityKind.Client);
        span?.SetTag("chat.events", entries.Count);
        var eventIds = new string[entries.Count];
        for (var start = 0; start < entries.Count; start += MaxEntriesPerRequest)
        {
            var chunk = Enumerable.Range(start, Math.Min(MaxEntriesPerRequest, entries.Count - start)).ToList();
            await PutChunkAsync(entries, chunk, eventIds, cancellationToken);
        }
        return eventIds;
    }

    private async Task PutChunkAsync(IReadOnlyList<EventEntry> entries, List<int> pending, string[] eventIds, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var body = WriteRequest(entries, pending);
            using var response = await _sender.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/")
            {
                Content = new ByteArrayContent(body) { Headers = { { "Content-Type", "application/x-amz-json-1.1" } } },
                Headers = { { "X-Amz-Target", "AWSEvents.PutEvents" } },
            }, handled: null, cancellationToken);

            var failures = await ReadResultAsync(response, pending, eventIds, cancellationToken);
            if (failures.Count == 0) return;

            var permanent = failures.Any(f => !TransientEntryErrors.Contains(f.ErrorCode));
            if (permanent || attempt >= AwsResilience.MaxAttempts) throw new PutEventsFailedException(failures);
            AwsLog.RetryingFailedEntries(logger, failures.Count, pending.Count, attempt, failures[0].ErrorCode);
            pending = failures.Select(f => f.Index).ToList();
            await Task.Delay(AwsResilience.Backoff(attempt - 1), time, cancellationToken);
        }
    }

    private static byte[] WriteRequest(IReadOnlyList<EventEntry> entries, List<int> indexes)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("Entries");
            foreach (var index in indexes)
            {
                var entry = entries[index];
                w.WriteStartObject();
                w.WriteString("Source", entry.Source);
                w.WriteString("DetailType", entry.DetailType);
                w.WriteString("Detail", entry.Detail);
                if (entry.EventBusName is not null) w.WriteString("EventBusName", entry.EventBusName);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Records the event ids of accepted entries; returns the rejected ones.</summary>
    private static async Task<List<FailedEntry>> ReadResultAsync(HttpResponseMessage response, List<int> sent, string[] eventIds, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        var results = document.RootElement.TryGetProperty("Entries", out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().ToList()
            : [];
        if (results.Count != sent.Count)
            throw new AwsServiceException("EventBridge", response.StatusCode, "MalformedResponse",
                $"PutEvents answered {results.Count} entry results for {sent.Count} entries");

        var failures = new List<FailedEntry>();
        for (var i = 0; i < sent.Count; i++)
        {
            var result = results[i];
            if (result.TryGetProperty("ErrorCode", out var code) && code.ValueKind == JsonValueKind.String)
            {
                var message = result.TryGetProperty("ErrorMessage", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                failures.Add(new FailedEntry(sent[i], code.GetString()!, message ?? ""));
            }
            else
            {
                eventIds[sent[i]] = result.TryGetProperty("EventId", out var id) ? id.GetString() ?? "" : "";
            }
        }
        return failures;
    }
}

/// <summary>One PutEvents entry; <paramref name="Detail"/> is a JSON object as a string.</summary>
public sealed record EventEntry(string Source, string DetailType, string Detail, string? EventBusName);

/// <summary>An entry PutEvents rejected: its index in the caller's list and the entry's error.</summary>
public sealed record FailedEntry(int Index, string ErrorCode, string ErrorMessage);

/// <summary>PutEvents kept rejecting some entries (a permanent entry error, or transient ones past the retries).</summary>
public sealed class PutEventsFailedException(IReadOnlyList<FailedEntry> failures)
    : AwsServiceException("EventBridge", HttpStatusCode.OK, failures[0].ErrorCode,
        $"{failures.Count} entries were rejected; first: {failures[0].ErrorCode}: {failures[0].ErrorMessage}")
{
    public IReadOnlyList<FailedEntry> Failures { get; } = failures;
}
