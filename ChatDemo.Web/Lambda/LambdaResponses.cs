using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace ChatDemo.Web.Lambda;

/// <summary>Writes a pipeline response back in the shape of the event that came in.</summary>
public static class LambdaResponses
{
    /// <summary>Lambda's limit on a synchronous invocation's response payload.</summary>
    public const int MaxPayloadBytes = 6 * 1024 * 1024;

    private static readonly byte[] JsonNull = "null"u8.ToArray();

    public static byte[] Write(LambdaEventShape shape, int statusCode, IHeaderDictionary headers, ReadOnlyMemory<byte> body)
    {
        if (shape == LambdaEventShape.DirectInvocation)
            return body.IsEmpty ? JsonNull : body.ToArray();

        var binary = BinaryContentTypes.IsBinary(headers.ContentType, headers.ContentEncoding, body.Length);
        var output = new ArrayBufferWriter<byte>(body.Length + 512);
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteNumber("statusCode", statusCode);
            switch (shape)
            {
                case LambdaEventShape.HttpApiV2:
                    WriteHttpApiV2Headers(json, headers);
                    break;
                case LambdaEventShape.RestApiV1:
                    WriteRestApiV1Headers(json, headers);
                    break;
            }
            if (binary) json.WriteBase64String("body", body.Span);
            else json.WriteString("body", Encoding.UTF8.GetString(body.Span));
            if (shape != LambdaEventShape.WebSocket) json.WriteBoolean("isBase64Encoded", binary);
            json.WriteEndObject();
        }
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Payload 2.0: one string per header (repeats joined with commas) and Set-Cookie as <c>cookies</c>.</summary>
    private static void WriteHttpApiV2Headers(Utf8JsonWriter json, IHeaderDictionary headers)
    {
        json.WriteStartObject("headers");
        foreach (var (name, values) in headers)
        {
            if (name.Equals(HeaderNames.SetCookie, StringComparison.OrdinalIgnoreCase)) continue;
            json.WriteString(name, string.Join(",", values.ToArray()));
        }
        json.WriteEndObject();
        json.WriteStartArray("cookies");
        foreach (var cookie in headers.SetCookie) json.WriteStringValue(cookie);
        json.WriteEndArray();
    }

    /// <summary>Payload 1.0: every header in <c>multiValueHeaders</c>; single-valued ones also in
    /// <c>headers</c> (API Gateway merges the two and drops the identical pairs).</summary>
    private static void WriteRestApiV1Headers(Utf8JsonWriter json, IHeaderDictionary headers)
    {
        json.WriteStartObject("headers");
        foreach (var (name, values) in headers)
            if (values.Count == 1) json.WriteString(name, values[0]);
        json.WriteEndObject();
        json.WriteStartObject("multiValueHeaders");
        foreach (var (name, values) in headers)
        {
            json.WriteStartArray(name);
            foreach (var value in values) json.WriteStringValue(value);
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }
}
