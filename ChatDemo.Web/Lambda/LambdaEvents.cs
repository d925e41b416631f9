using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Primitives;

namespace ChatDemo.Web.Lambda;

/// <summary>
/// Tells the events one function receives apart by shape (docs/lambda.md lists them) and
/// translates each into the request the pipeline runs. API Gateway shapes are
/// checked first, so no API Gateway event can pass for a direct invocation.
/// </summary>
public static class LambdaEvents
{
    /// <summary>The top-level field, and its value, that only the delivery workflow's payload carries.</summary>
    public const string DirectInvocationMarker = "chatDemo";
    public const string DirectInvocationDeliver = "deliver";

    public static LambdaRequest Read(ReadOnlyMemory<byte> payload)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload);
        }
        catch (JsonException e)
        {
            throw new LambdaEventException(LambdaEventException.Malformed, $"The invocation payload is not JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new LambdaEventException(LambdaEventException.Unrecognized, $"The invocation payload is a JSON {root.ValueKind}, not an event object.");
            try
            {
                var context = Object(root, "requestContext");
                if (String(context, "eventType") is not null) return WebSocket(root, context!.Value);
                if (String(root, "version") == "2.0" && Object(context, "http") is { } http) return HttpApiV2(root, context!.Value, http);
                if (String(root, "httpMethod") is { } method) return RestApiV1(root, context, method);
                if (String(root, DirectInvocationMarker) == DirectInvocationDeliver) return Direct(payload);
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or UriFormatException)
            {
                throw new LambdaEventException(LambdaEventException.Malformed, $"The event could not be read: {e.Message}");
            }
            throw new LambdaEventException(LambdaEventException.Unrecognized,
                "The event is none of: API Gateway WebSocket (requestContext.eventType), HTTP API 2.0 (version and requestContext.http), " +
                $"REST API 1.0 (httpMethod), direct delivery invocation (\"{DirectInvocationMarker}\": \"{DirectInvocationDeliver}\").");
        }
    }

    private static LambdaRequest HttpApiV2(JsonElement root, JsonElement context, JsonElement http)
    {
        var rawPath = String(root, "rawPath") ?? String(http, "path") ?? "/";
        var (pathBase, path) = SplitStage(PathString.FromUriComponent(rawPath), String(context, "stage"));
        var rawQuery = String(root, "rawQueryString");
        var request = new LambdaRequest
        {
            Shape = LambdaEventShape.HttpApiV2,
            Method = String(http, "method") ?? throw new InvalidOperationException("requestContext.http.method is missing"),
            PathBase = pathBase,
            Path = path,
            QueryString = string.IsNullOrEmpty(rawQuery) ? QueryString.Empty : new QueryString("?" + rawQuery),
            Body = Body(root),
            RemoteIpAddress = IpAddress(String(http, "sourceIp")),
        };
        // HTTP API joins repeated headers with commas already; a value is passed on whole, never split
        // (a comma is legal inside many values: dates, quoted strings, User-Agent).
        if (Object(root, "headers") is { } headers)
        {
            foreach (var header in headers.EnumerateObject())
                if (header.Value.ValueKind == JsonValueKind.String) request.Headers.Append(header.Name, header.Value.GetString());
        }
        if (root.TryGetProperty("cookies", out var cookies) && cookies.ValueKind == JsonValueKind.Array)
        {
            var values = cookies.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.String).Select(c => c.GetString()!).ToArray();
            if (values.Length > 0) request.Headers.Cookie = string.Join("; ", values);
        }
        return WithBodyHeaders(request);
    }

    private static LambdaRequest RestApiV1(JsonElement root, JsonElement? context, string method)
    {
        var path = new PathString(String(root, "path") ?? "/");
        var request = new LambdaRequest
        {
            Shape = LambdaEventShape.RestApiV1,
            Method = method,
            PathBase = RestPathBase(path, String(context, "path")),
            Path = path,
            QueryString = Query(root),
            Body = Body(root),
            RemoteIpAddress = IpAddress(String(Object(context, "identity"), "sourceIp")),
        };
        AddHeaders(request.Headers, root);
        return WithBodyHeaders(request);
    }

    private static LambdaRequest WebSocket(JsonElement root, JsonElement context)
    {
        var feature = new ApiGatewayWebSocketFeature(
            String(context, "connectionId") ?? throw new InvalidOperationException("requestContext.connectionId is missing"),
            String(context, "routeKey") ?? "$default",
            String(context, "eventType")!);
        var request = new LambdaRequest
        {
            Shape = LambdaEventShape.WebSocket,
            Method = HttpMethods.Post,
            Path = InternalRoutes.WebSocketEvent,
            QueryString = Query(root),
            Body = Body(root),
            RemoteIpAddress = IpAddress(String(Object(context, "identity"), "sourceIp")),
            WebSocket = feature,
        };
        AddHeaders(request.Headers, root);
        return WithBodyHeaders(request);
    }

    private static LambdaRequest Direct(ReadOnlyMemory<byte> payload)
    {
        var request = new LambdaRequest
        {
            Shape = LambdaEventShape.DirectInvocation,
            Method = HttpMethods.Post,
            Path = InternalRoutes.Deliver,
            Body = payload.ToArray(),
        };
        request.Headers.ContentType = "application/json";
        return WithBodyHeaders(request);
    }

    /// <summary>HTTP API keeps a named stage in the path (<c>/beta/api/values</c>); it becomes PathBase.
    /// Under a custom domain the stage is not in the path, and the path is left alone.</summary>
    private static (PathString PathBase, PathString Path) SplitStage(PathString path, string? stage)
    {
        if (string.IsNullOrEmpty(stage) || stage == "$default") return (PathString.Empty, path);
        return path.StartsWithSegments("/" + stage, StringComparison.Ordinal, out var remaining)
            ? (new PathString("/" + stage), remaining.HasValue ? remaining : new PathString("/"))
            : (PathString.Empty, path);
    }

    /// <summary>REST API's <c>requestContext.path</c> is what the client asked for (<c>/Prod/hello</c>),
    /// <c>path</c> what the resource matched (<c>/hello</c>): the difference is the PathBase.</summary>
    private static PathString RestPathBase(PathString path, string? contextPath)
    {
        if (contextPath is null || !contextPath.StartsWith('/')) return PathString.Empty;
        var matched = (path.Value ?? "").TrimEnd('/');
        var requested = contextPath.TrimEnd('/');
        return requested.Length > matched.Length && requested.EndsWith(matched, StringComparison.Ordinal)
            ? new PathString(requested[..^matched.Length])
            : PathString.Empty;
    }

    /// <summary>REST and WebSocket events: <c>multiValueQueryStringParameters</c> when present
    /// (every value of a repeated key), else <c>queryStringParameters</c>. Values arrive decoded.</summary>
    private static QueryString Query(JsonElement root)
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        if (Object(root, "multiValueQueryStringParameters") is { } multi)
        {
            foreach (var key in multi.EnumerateObject())
                foreach (var value in Strings(key.Value)) pairs.Add(new(key.Name, value));
        }
        else if (Object(root, "queryStringParameters") is { } single)
        {
            foreach (var key in single.EnumerateObject())
                if (key.Value.ValueKind == JsonValueKind.String) pairs.Add(new(key.Name, key.Value.GetString()));
        }
        return pairs.Count == 0 ? QueryString.Empty : QueryString.Create(pairs);
    }

    /// <summary><c>multiValueHeaders</c> when present (each value whole), else <c>headers</c>.</summary>
    private static void AddHeaders(IHeaderDictionary headers, JsonElement root)
    {
        if (Object(root, "multiValueHeaders") is { } multi)
        {
            foreach (var header in multi.EnumerateObject())
            {
                var values = Strings(header.Value).ToArray();
                if (values.Length > 0) headers.Append(header.Name, new StringValues(values));
            }
        }
        else if (Object(root, "headers") is { } single)
        {
            foreach (var header in single.EnumerateObject())
                if (header.Value.ValueKind == JsonValueKind.String) headers.Append(header.Name, header.Value.GetString());
        }
    }

    /// <summary>Content-Length describes the body actually passed on (API Gateway's own header can disagree with it).</summary>
    private static LambdaRequest WithBodyHeaders(LambdaRequest request)
    {
        request.Headers.Remove(Microsoft.Net.Http.Headers.HeaderNames.TransferEncoding);
        if (request.Body.Length > 0) request.Headers.ContentLength = request.Body.Length;
        else request.Headers.Remove(Microsoft.Net.Http.Headers.HeaderNames.ContentLength);
        if (request.Headers.Host.Count == 0) request.Headers.Host = "lambda";
        return request;
    }

    private static byte[] Body(JsonElement root)
    {
        var body = String(root, "body");
        if (string.IsNullOrEmpty(body)) return [];
        return root.TryGetProperty("isBase64Encoded", out var flag) && flag.ValueKind == JsonValueKind.True
            ? Convert.FromBase64String(body)
            : Encoding.UTF8.GetBytes(body);
    }

    /// <summary>HTTP API gives <c>sourceIp</c> as <c>192.168.0.1/32</c> in some captures.</summary>
    private static IPAddress? IpAddress(string? value)
    {
        if (value is null) return null;
        var slash = value.IndexOf('/');
        return IPAddress.TryParse(slash < 0 ? value : value[..slash], out var address) ? address : null;
    }

    private static IEnumerable<string> Strings(JsonElement array) =>
        array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)
            : [];

    private static JsonElement? Object(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value
            : null;

    private static string? String(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
