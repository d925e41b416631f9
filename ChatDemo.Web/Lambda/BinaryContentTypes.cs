namespace ChatDemo.Web.Lambda;

/// <summary>
/// Decides whether a response body goes back to API Gateway as text or base64. API Gateway
/// passes a body string through as text, so anything that is not text (images, fonts, archives,
/// compressed bodies) must be base64 with <c>isBase64Encoded</c> set.
/// </summary>
public static class BinaryContentTypes
{
    private static readonly HashSet<string> TextTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "application/json",
        "application/problem+json",
        "application/javascript",
        "application/ecmascript",
        "application/xml",
        "application/xhtml+xml",
        "application/x-www-form-urlencoded",
        "application/graphql",
        "image/svg+xml",
    };

    /// <summary>True when the body must be base64-encoded.</summary>
    public static bool IsBinary(string? contentType, string? contentEncoding, int bodyLength)
    {
        if (bodyLength == 0) return false;
        // gzip, br… turn any body into bytes that are not text.
        if (!string.IsNullOrEmpty(contentEncoding) && !contentEncoding.Equals("identity", StringComparison.OrdinalIgnoreCase)) return true;
        if (string.IsNullOrEmpty(contentType)) return true;
        var mediaType = contentType.Split(';', 2)[0].Trim();
        if (mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)) return false;
        if (TextTypes.Contains(mediaType)) return false;
        // Structured syntax suffixes (RFC 6839): application/vnd.api+json, application/atom+xml…
        return !(mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+xml", StringComparison.OrdinalIgnoreCase));
    }
}
