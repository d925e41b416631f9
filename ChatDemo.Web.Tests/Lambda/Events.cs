using System.Text.Json;
using System.Text.Json.Nodes;
using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.Lambda;

/// <summary>
/// The recorded events in <c>Fixtures/aws-events/</c> (where each came from: its SOURCES.md) and
/// events built in their image for the cases the recordings do not cover.
/// </summary>
public static class Events
{
    /// <summary>The fixture folder, copied beside the test assembly.</summary>
    public static string FixtureFolder { get; } = Fixtures.Folder("aws-events");

    public static string Fixture(string name) => File.ReadAllText(Path.Combine(FixtureFolder, name));

    public static JsonObject FixtureNode(string name) => JsonNode.Parse(Fixture(name))!.AsObject();

    public static string HttpApiV2(string method, string rawPath, string rawQueryString = "", string? body = null,
        bool base64 = false, string stage = "$default", IDictionary<string, string>? headers = null, string[]? cookies = null)
    {
        var node = FixtureNode("apigw-http-v2.powertools.json");
        node["rawPath"] = rawPath;
        node["rawQueryString"] = rawQueryString;
        node["body"] = body;
        node["isBase64Encoded"] = base64;
        node["requestContext"]!["http"]!["method"] = method;
        node["requestContext"]!["http"]!["path"] = rawPath;
        node["requestContext"]!["stage"] = stage;
        node["headers"] = Object(headers ?? new Dictionary<string, string> { ["content-type"] = "application/json", ["host"] = "id.execute-api.us-east-1.amazonaws.com" });
        node["cookies"] = cookies is null ? null : new JsonArray(cookies.Select(c => (JsonNode?)c).ToArray());
        node.Remove("queryStringParameters");
        return node.ToJsonString();
    }

    public static string RestApiV1(string method, string path, string? stagePrefix = null, string? body = null, bool base64 = false,
        IDictionary<string, string[]>? multiValueHeaders = null, IDictionary<string, string[]>? query = null)
    {
        var node = FixtureNode("apigw-rest-v1-proxy.aws-lambda-go.json");
        node["path"] = path;
        node["httpMethod"] = method;
        node["requestContext"]!["path"] = (stagePrefix ?? "") + path;
        node["requestContext"]!["httpMethod"] = method;
        node["body"] = body;
        node["isBase64Encoded"] = base64;
        if (multiValueHeaders is not null)
        {
            node["multiValueHeaders"] = new JsonObject(multiValueHeaders.Select(h =>
                KeyValuePair.Create(h.Key, (JsonNode?)new JsonArray(h.Value.Select(v => (JsonNode?)v).ToArray()))));
            node["headers"] = Object(multiValueHeaders.ToDictionary(h => h.Key, h => h.Value.Last()));
        }
        node["multiValueQueryStringParameters"] = query is null ? null : new JsonObject(query.Select(q =>
            KeyValuePair.Create(q.Key, (JsonNode?)new JsonArray(q.Value.Select(v => (JsonNode?)v).ToArray()))));
        node["queryStringParameters"] = query is null ? null : Object(query.ToDictionary(q => q.Key, q => q.Value.Last()));
        return node.ToJsonString();
    }

    /// <summary>A <c>$connect</c> like the real capture, with the query string the page sends.</summary>
    public static string WebSocketConnect(string connectionId, IDictionary<string, string>? query)
    {
        var node = FixtureNode("ws-connect.powertools.json");
        node["requestContext"]!["connectionId"] = connectionId;
        if (query is not null)
        {
            node["queryStringParameters"] = Object(query);
            node["multiValueQueryStringParameters"] = new JsonObject(query.Select(q =>
                KeyValuePair.Create(q.Key, (JsonNode?)new JsonArray((JsonNode?)q.Value))));
        }
        return node.ToJsonString();
    }

    public static string WebSocketDisconnect(string connectionId)
    {
        var node = FixtureNode("ws-disconnect.powertools.json");
        node["requestContext"]!["connectionId"] = connectionId;
        return node.ToJsonString();
    }

    /// <summary>A MESSAGE event like the real capture; <paramref name="routeKey"/> as API Gateway's route selection picked it.</summary>
    public static string WebSocketMessage(string connectionId, string routeKey, string body)
    {
        var node = FixtureNode("ws-message-default.aws-lambda-go.json");
        node["requestContext"]!["connectionId"] = connectionId;
        node["requestContext"]!["routeKey"] = routeKey;
        node["body"] = body;
        return node.ToJsonString();
    }

    /// <summary>A delivery batch as the workflow sends it: the marker plus whatever the batch carries.</summary>
    public static string Deliver(object batch)
    {
        var node = JsonSerializer.SerializeToNode(batch)!.AsObject();
        node["chatDemo"] = "deliver";
        return node.ToJsonString();
    }

    private static JsonObject Object(IDictionary<string, string> values) =>
        new(values.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value)));
}
