using System.Net;
using System.Text.Json;

namespace ChatDemo.Web.Aws;

/// <summary>An error answer of an AWS service, with the service's error code and message.</summary>
public class AwsServiceException(string service, HttpStatusCode statusCode, string? errorCode, string message)
    : Exception($"{service} answered {(int)statusCode} {errorCode ?? statusCode.ToString()}: {message}")
{
    public string Service { get; } = service;

    public HttpStatusCode StatusCode { get; } = statusCode;

    /// <summary>The service's error type (<c>__type</c> or <c>x-amzn-ErrorType</c>) without its namespace, e.g. <c>ValidationException</c>.</summary>
    public string? ErrorCode { get; } = errorCode;

    /// <summary>The service's own message.</summary>
    public string ServiceMessage { get; } = message;
}

/// <summary>403: the credentials may not call this (IAM policy, wrong account, bad signature).</summary>
public sealed class AwsForbiddenException(string service, string? errorCode, string message)
    : AwsServiceException(service, HttpStatusCode.Forbidden, errorCode, message);

/// <summary>413: the payload is over the service's limit (API Gateway: 128 KB per frame).</summary>
public sealed class AwsPayloadTooLargeException(string service, string? errorCode, string message)
    : AwsServiceException(service, HttpStatusCode.RequestEntityTooLarge, errorCode, message);

/// <summary>429 or a throttling error type that was still answered after every retry.</summary>
public sealed class AwsThrottledException(string service, HttpStatusCode statusCode, string? errorCode, string message)
    : AwsServiceException(service, statusCode, errorCode, message);

/// <summary>Reads the error of a failed AWS answer: JSON 1.1 <c>__type</c> and REST-JSON <c>x-amzn-ErrorType</c>.</summary>
internal static class AwsErrorResponse
{
    public static async Task<AwsServiceException> ReadAsync(string service, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var (code, message) = Parse(body);
        if (response.Headers.TryGetValues("x-amzn-ErrorType", out var types))
            code ??= CleanCode(types.FirstOrDefault());
        message ??= string.IsNullOrWhiteSpace(body) ? response.ReasonPhrase ?? "no message" : Truncate(body);

        var status = response.StatusCode;
        if (status == HttpStatusCode.TooManyRequests || IsThrottling(code)) return new AwsThrottledException(service, status, code, message);
        return status switch
        {
            HttpStatusCode.Forbidden => new AwsForbiddenException(service, code, message),
            HttpStatusCode.RequestEntityTooLarge => new AwsPayloadTooLargeException(service, code, message),
            _ => new AwsServiceException(service, status, code, message),
        };
    }

    /// <summary>Worth another attempt: throttling and the service's own failures; never a client error.</summary>
    public static bool IsTransient(AwsServiceException error) =>
        error is AwsThrottledException || (int)error.StatusCode >= 500;

    public static bool IsThrottling(string? code) =>
        code is "ThrottlingException" or "Throttling" or "ThrottledException" or "TooManyRequestsException"
            or "LimitExceededException" or "RequestLimitExceeded";

    private static (string? Code, string? Message) Parse(string body)
    {
        if (string.IsNullOrWhiteSpace(body)) return (null, null);
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object) return (null, null);
            string? code = null, message = null;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String) continue;
                if (property.NameEquals("__type") || property.NameEquals("code")) code = CleanCode(property.Value.GetString());
                else if (property.Name.Equals("message", StringComparison.OrdinalIgnoreCase)) message = property.Value.GetString();
            }
            return (code, message);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    // "com.amazonaws.events#ValidationException" and "GoneException:http://internal.amazon.com/…" both name "…Exception".
    private static string? CleanCode(string? code)
    {
        if (string.IsNullOrWhiteSpace(code)) return null;
        var hash = code.LastIndexOf('#');
        if (hash >= 0) code = code[(hash + 1)..];
        var colon = code.IndexOf(':');
        return colon >= 0 ? code[..colon] : code;
    }

    private static string Truncate(string body) => body.Length <= 500 ? body : body[..500];
}
