using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace ChatDemo.Web.Lambda;

/// <summary>
/// The Lambda Runtime API (2018-06-01): <c>next</c>, <c>response</c>, <c>error</c> and
/// <c>init/error</c>. <c>next</c> blocks until an invocation arrives, for as long as the
/// execution environment stays frozen, so the client has no timeout.
/// </summary>
public sealed class LambdaRuntimeClient : IDisposable
{
    public const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    private readonly HttpClient _http;
    private int _nextRequested;

    public LambdaRuntimeClient(string runtimeApi)
    {
        RuntimeApi = runtimeApi;
        // The Runtime API is a local endpoint of the execution environment: never through a proxy, no cookies.
        var handler = new SocketsHttpHandler { UseProxy = false, UseCookies = false };
        _http = new HttpClient(handler)
        {
            BaseAddress = new Uri($"http://{runtimeApi}/2018-06-01/runtime/"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public string RuntimeApi { get; }

    /// <summary>True once the first <c>next</c> was asked for: from then on, init errors are past.</summary>
    public bool InitCompleted => Volatile.Read(ref _nextRequested) == 1;

    public async Task<LambdaInvocation> NextAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _nextRequested, 1);
        using var response = await _http.GetAsync("invocation/next", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        var payload = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var requestId = Header(response, "Lambda-Runtime-Aws-Request-Id")
            ?? throw new InvalidOperationException("The Runtime API answered next without Lambda-Runtime-Aws-Request-Id.");
        var deadline = long.TryParse(Header(response, "Lambda-Runtime-Deadline-Ms"), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : DateTimeOffset.MaxValue;
        return new LambdaInvocation(requestId, deadline, Header(response, "Lambda-Runtime-Trace-Id"),
            Header(response, "Lambda-Runtime-Invoked-Function-Arn"), payload);
    }

    public async Task PostResponseAsync(string requestId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        using var content = new ReadOnlyMemoryContent(payload);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _http.PostAsync($"invocation/{Uri.EscapeDataString(requestId)}/response", content, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async Task PostErrorAsync(string requestId, string errorType, string errorMessage, CancellationToken cancellationToken)
    {
        using var request = ErrorRequest($"invocation/{Uri.EscapeDataString(requestId)}/error", errorType, errorMessage);
        using var response = await _http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Synchronous: called while the process is going down from an unhandled start-up exception.</summary>
    public void PostInitError(string errorType, string errorMessage)
    {
        using var request = ErrorRequest("init/error", errorType, errorMessage);
        using var response = _http.Send(request);
    }

    private static HttpRequestMessage ErrorRequest(string path, string errorType, string errorMessage)
    {
        var body = new MemoryStream();
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteString("errorMessage", errorMessage);
            json.WriteString("errorType", errorType);
            json.WriteStartArray("stackTrace");
            json.WriteEndArray();
            json.WriteEndObject();
        }
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body.ToArray()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(ErrorTypeHeader, errorType);
        return request;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    public void Dispose() => _http.Dispose();
}
