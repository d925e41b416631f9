using ChatDemo.Web.Configuration;

namespace ChatDemo.Web.Sessions;

/// <summary>
/// Which browser origins may open Kestrel's <c>/ws</c>: the page's own, plus <c>Chat__AllowedOrigins</c>.
/// A request without <c>Origin</c> is not a browser's, and its token is what authenticates it.
/// </summary>
public static class OriginPolicy
{
    public static bool IsAllowed(HttpRequest request, ChatOptions options)
    {
        var origin = request.Headers.Origin;
        if (origin.Count == 0) return true;
        if (origin.Count > 1) return false;
        var value = origin[0]!.TrimEnd('/');
        if (string.Equals(value, $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase)) return true;
        return AllowedOrigins.Parse(options.AllowedOrigins).Contains(value, StringComparer.OrdinalIgnoreCase);
    }
}
