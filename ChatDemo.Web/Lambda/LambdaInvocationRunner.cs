using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ChatDemo.Web.Telemetry;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;

namespace ChatDemo.Web.Lambda;

/// <summary>
/// Runs one invocation: event → request → the app's pipeline → response in the event's shape →
/// the Runtime API. Each invocation gets its own feature collection and so its own HttpContext
/// and DI scope (<c>RequestServices</c>), disposed before the next one starts. Each is a span
/// continuing the X-Ray trace Lambda names (<c>Lambda-Runtime-Trace-Id</c>), and the
/// <see cref="ILambdaInvocationObserver"/>s run after it ends and before its result is posted.
/// </summary>
internal sealed class LambdaInvocationRunner(
    LambdaRuntimeClient runtime,
    TimeProvider time,
    IEnumerable<ILambdaInvocationObserver> observers,
    ILogger<LambdaInvocationRunner> logger)
{
    /// <summary>Where the Lambda runtime puts the X-Ray trace id for SDKs to find.</summary>
    public const string TraceIdVariable = "_X_AMZN_TRACE_ID";

    public const string ResponseTooLargeError = "ChatDemo.ResponseTooLarge";
    public const string DirectInvocationFailedError = "ChatDemo.DirectInvocationFailed";

    public async Task RunAsync<TContext>(IHttpApplication<TContext> application, LambdaInvocation invocation)
        where TContext : notnull
    {
        Environment.SetEnvironmentVariable(TraceIdVariable, invocation.TraceId);
        Func<Task> postResult;
        using (StartInvocationSpan(invocation))
        {
            postResult = await HandleAsync(application, invocation);
        }
        foreach (var observer in observers)
        {
            try
            {
                observer.BeforeResult(invocation);
            }
            catch (Exception e)
            {
                // Telemetry must never cost the invocation its answer.
                LambdaLog.ObserverFailed(logger, e, invocation.RequestId);
            }
        }
        await postResult();
    }

    private static Activity? StartInvocationSpan(LambdaInvocation invocation)
    {
        var parent = XRayTraceHeader.Parse(invocation.TraceId)?.ToActivityContext();
        var span = parent is { } xray
            ? ChatTelemetry.ActivitySource.StartActivity("lambda invocation", ActivityKind.Server, xray)
            : ChatTelemetry.ActivitySource.StartActivity("lambda invocation", ActivityKind.Server);
        span?.SetTag("faas.invocation_id", invocation.RequestId);
        return span;
    }

    /// <summary>Runs the invocation; returns how to post its result, which is done once observers ran.</summary>
    private async Task<Func<Task>> HandleAsync<TContext>(IHttpApplication<TContext> application, LambdaInvocation invocation)
        where TContext : notnull
    {
        var id = invocation.RequestId;

        LambdaRequest request;
        try
        {
            request = LambdaEvents.Read(invocation.Payload);
        }
        catch (LambdaEventException e)
        {
            LambdaLog.EventRefused(logger, id, e.ErrorType, e.Message);
            return () => runtime.PostErrorAsync(id, e.ErrorType, e.Message, CancellationToken.None);
        }

        if (request.TargetsInternalRoute)
        {
            LambdaLog.InternalPathRefused(logger, id, request.Shape, request.PathBase.Add(request.Path).Value ?? "/");
            return () => runtime.PostResponseAsync(id, NotFound(request.Shape), CancellationToken.None);
        }

        var response = await ProcessAsync(application, invocation, request);
        var payload = response.Overflowed ? null : LambdaResponses.Write(request.Shape, response.StatusCode, response.Headers, response.BodyBytes);
        if (payload is null || payload.Length > LambdaResponses.MaxPayloadBytes)
        {
            var size = payload?.Length ?? response.BodyLength;
            LambdaLog.ResponseTooLarge(logger, id, size, LambdaResponses.MaxPayloadBytes);
            return () => runtime.PostErrorAsync(id, ResponseTooLargeError,
                $"The response ({size} bytes or more) is over Lambda's {LambdaResponses.MaxPayloadBytes}-byte response limit.", CancellationToken.None);
        }
        if (request.Shape == LambdaEventShape.DirectInvocation && response.StatusCode is < 200 or > 299)
        {
            // An error lets the workflow's Retry see the failure; a 2xx result would hide it.
            LambdaLog.DirectInvocationFailed(logger, id, response.StatusCode);
            var message = $"The delivery endpoint answered {response.StatusCode}: {Encoding.UTF8.GetString(response.BodyBytes.Span)}";
            return () => runtime.PostErrorAsync(id, DirectInvocationFailedError, message, CancellationToken.None);
        }
        return () => runtime.PostResponseAsync(id, payload, CancellationToken.None);
    }

    private async Task<LambdaResponseFeature> ProcessAsync<TContext>(
        IHttpApplication<TContext> application, LambdaInvocation invocation, LambdaRequest request)
        where TContext : notnull
    {
        var response = new LambdaResponseFeature(LambdaResponses.MaxPayloadBytes);
        using var deadline = DeadlineSource(invocation.Deadline);
        var features = Features(invocation, request, response, deadline.Token);

        var context = application.CreateContext(features);
        Exception? failure = null;
        try
        {
            await application.ProcessRequestAsync(context);
            await response.CompleteAsync();
        }
        catch (Exception e)
        {
            failure = e;
            LambdaLog.UnhandledException(logger, e, invocation.RequestId);
            response.ResetToServerError();
        }
        finally
        {
            await response.FireOnCompletedAsync(e => LambdaLog.OnCompletedFailed(logger, e, invocation.RequestId));
            application.DisposeContext(context, failure);
        }
        return response;
    }

    private static FeatureCollection Features(LambdaInvocation invocation, LambdaRequest request, LambdaResponseFeature response, CancellationToken aborted)
    {
        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(new HttpRequestFeature
        {
            Protocol = "HTTP/1.1",
            Scheme = request.Headers["X-Forwarded-Proto"] is [{ Length: > 0 } proto] ? proto : request.Scheme,
            Method = request.Method,
            PathBase = request.PathBase.Value ?? "",
            Path = request.Path.Value ?? "/",
            QueryString = request.QueryString.Value ?? "",
            RawTarget = request.RawTarget,
            Headers = request.Headers,
            Body = new MemoryStream(request.Body, writable: false),
        });
        features.Set<IHttpResponseFeature>(response);
        features.Set<IHttpResponseBodyFeature>(response);
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = aborted });
        features.Set<IHttpRequestIdentifierFeature>(new HttpRequestIdentifierFeature { TraceIdentifier = invocation.RequestId });
        features.Set<IHttpConnectionFeature>(new HttpConnectionFeature
        {
            ConnectionId = invocation.RequestId,
            RemoteIpAddress = request.RemoteIpAddress,
        });
        features.Set<ILambdaInvocationFeature>(invocation);
        if (request.WebSocket is { } webSocket) features.Set(webSocket);
        if (request.Shape == LambdaEventShape.DirectInvocation)
            features.Set<IDirectInvocationFeature>(new DirectInvocationFeature(invocation.RequestId));
        return features;
    }

    /// <summary>RequestAborted fires at the invocation's deadline: past it, Lambda has stopped waiting.</summary>
    private CancellationTokenSource DeadlineSource(DateTimeOffset deadline)
    {
        if (deadline == DateTimeOffset.MaxValue) return new CancellationTokenSource();
        var remaining = deadline - time.GetUtcNow();
        var delay = remaining < TimeSpan.Zero ? TimeSpan.Zero : remaining > TimeSpan.FromDays(1) ? TimeSpan.FromDays(1) : remaining;
        return new CancellationTokenSource(delay, time);
    }

    private static byte[] NotFound(LambdaEventShape shape)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["type"] = "https://tools.ietf.org/html/rfc9110#section-15.5.5",
            ["title"] = "Not Found",
            ["status"] = StatusCodes.Status404NotFound,
            ["detail"] = "No such resource.",
        });
        IHeaderDictionary headers = new HeaderDictionary();
        headers.ContentType = "application/problem+json";
        return LambdaResponses.Write(shape, StatusCodes.Status404NotFound, headers, body);
    }
}
