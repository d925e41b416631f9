using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatDemo.Web.Tests.Lambda;

/// <summary>
/// The Lambda Runtime API (2018-06-01), served by the test on real Kestrel at 127.0.0.1 and a free
/// port: queues invocations for <c>next</c> and records what the function posts back. It checks
/// what it receives as Lambda does: a known request id, answered once, and errors with the
/// error-type header and a JSON body naming errorType and errorMessage. It also serves Lambda's
/// Invoke API (<c>POST /2015-03-31/functions/{name}/invocations</c>) for callers outside the test
/// process, such as the workflow run by aws-local-stepfunctions: each call is queued like
/// <see cref="InvokeAsync(string, string?, DateTimeOffset?)"/>.
/// </summary>
public sealed class EmulatedRuntimeApi : IAsyncDisposable
{
    private static readonly TimeSpan InvocationTimeout = TimeSpan.FromSeconds(60);

    private readonly WebApplication _app;
    private readonly Channel<Invocation> _queue = Channel.CreateUnbounded<Invocation>();
    private readonly ConcurrentDictionary<string, Invocation> _pending = new();
    private readonly ConcurrentQueue<string> _protocolViolations = new();

    private EmulatedRuntimeApi(WebApplication app)
    {
        _app = app;
    }

    /// <summary>host:port, the value of <c>AWS_LAMBDA_RUNTIME_API</c>.</summary>
    public string Address { get; private set; } = "";

    /// <summary>What arrived at <c>/init/error</c>.</summary>
    public TaskCompletionSource<InvocationResult> InitError { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How many <c>next</c> calls have arrived (the first one marks the end of init).</summary>
    public int NextCalls => _nextCalls;

    private int _nextCalls;

    public static async Task<EmulatedRuntimeApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var api = new EmulatedRuntimeApi(app);
        app.MapGet("/2018-06-01/runtime/invocation/next", api.NextAsync);
        app.MapPost("/2018-06-01/runtime/invocation/{id}/response", (string id, HttpContext c) => api.CompleteAsync(id, c, isError: false));
        app.MapPost("/2018-06-01/runtime/invocation/{id}/error", (string id, HttpContext c) => api.CompleteAsync(id, c, isError: true));
        app.MapPost("/2018-06-01/runtime/init/error", (HttpRequest r) => api.InitErrorAsync(r.HttpContext));
        app.MapPost("/2015-03-31/functions/{functionName}/invocations", (string functionName, HttpContext c) => api.InvokeFromOutsideAsync(functionName, c));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        api.Address = new Uri(address).Authority;
        return api;
    }

    /// <summary>True while the invocation was handed to the function and its result has not arrived.</summary>
    public bool IsAwaitingResult(string requestId) => _pending.ContainsKey(requestId);

    /// <summary>The base URL of the Invoke API (Lambda's <c>RequestResponse</c> invocation).</summary>
    public Uri InvokeEndpoint => new($"http://{Address}/");

    /// <summary>The function's ARN: the Invoke API answers for it alone (any other name is a 404, as on AWS).</summary>
    public const string FunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:chatdemo";

    /// <summary>Queues an event and waits for the function's answer.</summary>
    public Task<InvocationResult> InvokeAsync(string payload, string? traceId = null, DateTimeOffset? deadline = null) =>
        InvokeAsync(Encoding.UTF8.GetBytes(payload), traceId, deadline);

    public async Task<InvocationResult> InvokeAsync(byte[] payload, string? traceId = null, DateTimeOffset? deadline = null)
    {
        var invocation = new Invocation(
            Guid.NewGuid().ToString(), payload,
            traceId ?? "Root=1-5e7ae61f-bb13a2d967a67dd51b8aca50;Parent=53995c3f42cd8ad8;Sampled=1",
            deadline ?? DateTimeOffset.UtcNow.AddMinutes(5));
        _pending[invocation.RequestId] = invocation;
        await _queue.Writer.WriteAsync(invocation);
        var result = await invocation.Result.Task.WaitAsync(InvocationTimeout);
        Assert.Empty(_protocolViolations);
        return result;
    }

    private async Task NextAsync(HttpContext context)
    {
        Interlocked.Increment(ref _nextCalls);
        Invocation invocation;
        try
        {
            invocation = await _queue.Reader.ReadAsync(context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return; // the function stopped waiting (shutdown)
        }
        var headers = context.Response.Headers;
        headers["Lambda-Runtime-Aws-Request-Id"] = invocation.RequestId;
        headers["Lambda-Runtime-Deadline-Ms"] = invocation.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        headers["Lambda-Runtime-Invoked-Function-Arn"] = FunctionArn;
        headers["Lambda-Runtime-Trace-Id"] = invocation.TraceId;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(invocation.Payload);
    }

    /// <summary>
    /// Lambda's answer to a synchronous Invoke: 200 with the function's response, or, when the
    /// function reported an error, 200 with <c>X-Amz-Function-Error: Unhandled</c> and the error body.
    /// </summary>
    private async Task InvokeFromOutsideAsync(string functionName, HttpContext context)
    {
        if (functionName != FunctionArn)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.Headers["x-amzn-ErrorType"] = "ResourceNotFoundException";
            await context.Response.WriteAsJsonAsync(new { Message = $"Function not found: {functionName}" });
            return;
        }
        var result = await InvokeAsync(await ReadBodyAsync(context.Request));
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.Headers["X-Amz-Executed-Version"] = "$LATEST";
        if (result.IsError) context.Response.Headers["X-Amz-Function-Error"] = "Unhandled";
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(result.Body);
    }

    private async Task<IResult> CompleteAsync(string id, HttpContext context, bool isError)
    {
        var body = await ReadBodyAsync(context.Request);
        if (!_pending.TryRemove(id, out var invocation))
        {
            _protocolViolations.Enqueue($"{(isError ? "error" : "response")} posted for unknown or already answered request id {id}");
            return Results.BadRequest();
        }
        string? errorType = null;
        if (isError)
        {
            errorType = context.Request.Headers["Lambda-Runtime-Function-Error-Type"].ToString();
            CheckErrorBody(body, errorType);
        }
        invocation.Result.TrySetResult(new InvocationResult(isError, errorType, body));
        return Results.Accepted();
    }

    private async Task<IResult> InitErrorAsync(HttpContext context)
    {
        var body = await ReadBodyAsync(context.Request);
        var errorType = context.Request.Headers["Lambda-Runtime-Function-Error-Type"].ToString();
        CheckErrorBody(body, errorType);
        InitError.TrySetResult(new InvocationResult(true, errorType, body));
        return Results.Accepted();
    }

    private void CheckErrorBody(byte[] body, string errorType)
    {
        if (string.IsNullOrEmpty(errorType)) _protocolViolations.Enqueue("error posted without Lambda-Runtime-Function-Error-Type");
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.GetProperty("errorType").GetString() != errorType)
                _protocolViolations.Enqueue("errorType in the body differs from the header");
            if (string.IsNullOrEmpty(json.RootElement.GetProperty("errorMessage").GetString()))
                _protocolViolations.Enqueue("error posted with an empty errorMessage");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            _protocolViolations.Enqueue($"error body is not {{errorMessage, errorType}} JSON: {e.Message}");
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _app.DisposeAsync();
    }

    private sealed record Invocation(string RequestId, byte[] Payload, string TraceId, DateTimeOffset Deadline)
    {
        public TaskCompletionSource<InvocationResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>What the function posted for one invocation: a response, or an error with its type.</summary>
public sealed record InvocationResult(bool IsError, string? ErrorType, byte[] Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

    public string Text => Encoding.UTF8.GetString(Body);

    /// <summary>The response as an API Gateway proxy result; fails when it is an error.</summary>
    public ProxyResult Proxy
    {
        get
        {
            Assert.False(IsError, $"expected a response, got error {ErrorType}: {Text}");
            return new ProxyResult(Json);
        }
    }
}

/// <summary>An API Gateway proxy response (payload 1.0, 2.0 or WebSocket) as the function wrote it.</summary>
public sealed record ProxyResult(JsonElement Json)
{
    public int StatusCode => Json.GetProperty("statusCode").GetInt32();

    public bool IsBase64Encoded => Json.GetProperty("isBase64Encoded").GetBoolean();

    public string? Body => Json.TryGetProperty("body", out var body) && body.ValueKind == JsonValueKind.String ? body.GetString() : null;

    public byte[] BodyBytes => IsBase64Encoded ? Convert.FromBase64String(Body!) : Encoding.UTF8.GetBytes(Body ?? "");

    public JsonElement BodyJson => JsonDocument.Parse(Body!).RootElement.Clone();

    public string? Header(string name) =>
        Json.TryGetProperty("headers", out var headers)
            ? headers.EnumerateObject().Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value.GetString()).FirstOrDefault()
            : null;

    public string[] MultiValueHeader(string name) =>
        Json.GetProperty("multiValueHeaders").EnumerateObject()
            .Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Value.EnumerateArray().Select(v => v.GetString()!))
            .ToArray();

    public string[] Cookies => Json.GetProperty("cookies").EnumerateArray().Select(c => c.GetString()!).ToArray();
}
