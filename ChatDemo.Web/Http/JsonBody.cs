using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChatDemo.Web.Http;

/// <summary>A small JSON object body, read with the rules of protocol.md section 1: 415, 413, 400.</summary>
public static class JsonBody
{
    public const int MaxBytes = 4 * 1024;

    /// <summary>
    /// The body's JSON object, or the problem that refuses it: no JSON content type (415), over
    /// <see cref="MaxBytes"/> (413, chunked too), not JSON or not an object (400).
    /// <paramref name="example"/> shows what to send.
    /// </summary>
    public static async Task<(JsonElement Body, ProblemHttpResult? Problem)> ReadObjectAsync(HttpRequest request, string example, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
            return (default, Problems.UnsupportedMediaType($"{request.Method} {request.Path} takes application/json, such as {example}."));
        var bytes = await RequestBody.ReadAsync(request, MaxBytes, cancellationToken);
        if (bytes is null) return (default, Problems.PayloadTooLarge($"The request body must be at most {MaxBytes} bytes."));
        try
        {
            using var document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return (default, Problems.BadRequest($"The body must be a JSON object such as {example}."));
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException)
        {
            return (default, Problems.BadRequest($"The body is not valid JSON; send {example}."));
        }
    }

    /// <summary>
    /// An optional string member: absent or null is null; another type is an error, and so is a
    /// string escaping a lone surrogate (<c>"\ud800"</c>), which is not Unicode and cannot become a .NET string.
    /// </summary>
    public static bool TryGetString(JsonElement body, string name, out string? value)
    {
        value = null;
        if (!body.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null) return true;
        if (element.ValueKind != JsonValueKind.String) return false;
        try
        {
            value = element.GetString();
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        return true;
    }

    /// <summary>An optional integer member within [min, max]: absent or null is null; anything else is an error.</summary>
    public static bool TryGetInteger(JsonElement body, string name, long min, long max, out long? value)
    {
        value = null;
        if (!body.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null) return true;
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var number) || number < min || number > max) return false;
        value = number;
        return true;
    }
}
