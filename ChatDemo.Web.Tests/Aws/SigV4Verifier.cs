using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace ChatDemo.Web.Tests.Aws;

/// <summary>A request as it arrived: method, the request target exactly as sent, headers and body.</summary>
public sealed record ReceivedRequest(string Method, string RawTarget, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public IEnumerable<string> HeaderValues(string name) =>
        Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);

    public string? Header(string name) => HeaderValues(name).FirstOrDefault();
}

/// <summary>The outcome of checking a signature, with the intermediate values for diagnosis.</summary>
public sealed record SigV4Check(bool Valid, string Reason, string CanonicalRequest = "", string StringToSign = "", string ExpectedSignature = "");

/// <summary>
/// The test suite's own SigV4 implementation, written from the specification (not from the SDK):
/// recomputes the signature over what arrived, so that a fake endpoint accepts exactly what AWS
/// would. Canonical URI: the path as sent, URI-encoded once more (every service but S3);
/// canonical query: decoded, re-encoded per RFC 3986, sorted; canonical headers: lower-cased
/// names, trimmed values with inner runs of spaces collapsed, multiple values joined by commas.
/// </summary>
public static class SigV4Verifier
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>Checks the request's Authorization against <paramref name="secretFor"/> (access key → secret key).</summary>
    public static SigV4Check Verify(ReceivedRequest request, Func<string, string?> secretFor, string service, string region, DateTimeOffset? now = null)
    {
        var authorization = request.Header("Authorization");
        if (authorization is null || !authorization.StartsWith(Algorithm + " ", StringComparison.Ordinal))
            return new SigV4Check(false, "no AWS4-HMAC-SHA256 Authorization header");
        var fields = authorization[(Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries)
            .Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1]);
        if (!fields.TryGetValue("Credential", out var credential) || !fields.TryGetValue("SignedHeaders", out var signedList) || !fields.TryGetValue("Signature", out var signature))
            return new SigV4Check(false, $"Authorization lacks Credential, SignedHeaders or Signature: {authorization}");

        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request") return new SigV4Check(false, $"bad credential scope {credential}");
        var (accessKey, date, scopeRegion, scopeService) = (scope[0], scope[1], scope[2], scope[3]);
        if (scopeService != service) return new SigV4Check(false, $"signed for service '{scopeService}', expected '{service}'");
        if (scopeRegion != region) return new SigV4Check(false, $"signed for region '{scopeRegion}', expected '{region}'");
        var secret = secretFor(accessKey);
        if (secret is null) return new SigV4Check(false, $"unknown access key {accessKey}");

        var amzDate = request.Header("X-Amz-Date");
        if (amzDate is null || !amzDate.StartsWith(date, StringComparison.Ordinal)) return new SigV4Check(false, $"X-Amz-Date '{amzDate}' does not match the scope date {date}");
        if (now is { } clock)
        {
            var signedAt = DateTimeOffset.ParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            if ((clock - signedAt).Duration() > TimeSpan.FromMinutes(5)) return new SigV4Check(false, $"X-Amz-Date {amzDate} is too far from now");
        }

        var signedHeaders = signedList.Split(';');
        foreach (var required in new[] { "host", "x-amz-date" })
            if (!signedHeaders.Contains(required)) return new SigV4Check(false, $"'{required}' is not signed");
        if (request.Header("X-Amz-Security-Token") is not null && !signedHeaders.Contains("x-amz-security-token"))
            return new SigV4Check(false, "the security token is sent but not signed");
        foreach (var name in signedHeaders)
            if (!request.HeaderValues(name).Any()) return new SigV4Check(false, $"signed header '{name}' was not received");

        var bodyHash = Hex(SHA256.HashData(request.Body));
        var claimedHash = request.Header("X-Amz-Content-Sha256");
        if (claimedHash is not null && claimedHash != bodyHash) return new SigV4Check(false, "X-Amz-Content-Sha256 does not match the body that arrived");

        var canonical = CanonicalRequest(request, signedHeaders, claimedHash ?? bodyHash);
        var stringToSign = StringToSign(amzDate, $"{date}/{region}/{service}/aws4_request", canonical);
        var expected = Signature(secret, date, region, service, stringToSign);
        return expected == signature
            ? new SigV4Check(true, "ok", canonical, stringToSign, expected)
            : new SigV4Check(false, $"signature mismatch; canonical request:\n{canonical}", canonical, stringToSign, expected);
    }

    public static string CanonicalRequest(ReceivedRequest request, IReadOnlyList<string> signedHeaders, string payloadHash)
    {
        var queryStart = request.RawTarget.IndexOf('?');
        var path = queryStart < 0 ? request.RawTarget : request.RawTarget[..queryStart];
        var query = queryStart < 0 ? "" : request.RawTarget[(queryStart + 1)..];
        var headers = new StringBuilder();
        foreach (var name in signedHeaders)
            headers.Append(name).Append(':').Append(string.Join(',', request.HeaderValues(name).Select(CanonicalHeaderValue))).Append('\n');
        return string.Join('\n',
            request.Method,
            CanonicalUri(path),
            CanonicalQuery(query),
            headers.ToString(),
            string.Join(';', signedHeaders),
            payloadHash);
    }

    public static string CanonicalUri(string path) => path.Length == 0 ? "/" : UriEncode(path, keepSlash: true);

    public static string CanonicalQuery(string query) => string.Join('&', query
        .Split('&', StringSplitOptions.RemoveEmptyEntries)
        .Select(pair =>
        {
            var equals = pair.IndexOf('=');
            var name = WebUtility.UrlDecode(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : WebUtility.UrlDecode(pair[(equals + 1)..]);
            return (Name: UriEncode(name, keepSlash: false), Value: UriEncode(value, keepSlash: false));
        })
        .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
        .Select(p => $"{p.Name}={p.Value}"));

    public static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        $"{Algorithm}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

    public static string Signature(string secret, string date, string region, string service, string stringToSign)
    {
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        return Hex(Hmac(key, stringToSign));
    }

    /// <summary>RFC 3986 encoding of every UTF-8 byte but the unreserved characters (and '/', in paths).</summary>
    public static string UriEncode(string value, bool keepSlash)
    {
        var result = new StringBuilder(value.Length * 2);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' || (keepSlash && c == '/')) result.Append(c);
            else result.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return result.ToString();
    }

    private static string CanonicalHeaderValue(string value)
    {
        var trimmed = value.Trim();
        var result = new StringBuilder(trimmed.Length);
        foreach (var c in trimmed)
        {
            if (c == ' ' && result.Length > 0 && result[^1] == ' ') continue;
            result.Append(c);
        }
        return result.ToString();
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    public static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
