using Microsoft.AspNetCore.Http.HttpResults;

namespace ChatDemo.Web.Http;

/// <summary>RFC 9457 problem responses with a useful <c>detail</c>, as protocol.md section 6 asks.</summary>
public static class Problems
{
    /// <summary>Any problem: a short <paramref name="title"/> for the kind, a <paramref name="detail"/> that says what to do.</summary>
    public static ProblemHttpResult Refuse(int status, string title, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: title);

    public static ProblemHttpResult BadRequest(string detail) =>
        Refuse(StatusCodes.Status400BadRequest, "The request is not valid", detail);

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static ProblemHttpResult PayloadTooLarge(string detail) =>
        Refuse(StatusCodes.Status413PayloadTooLarge, "The request body is too large", detail);

    public static ProblemHttpResult UnsupportedMediaType(string detail) =>
        Refuse(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type", detail);

    /// <summary>A 401 naming the check that failed in <c>check</c>, so that a client can tell an expired sign-in from a misconfiguration.</summary>
    public static ProblemHttpResult Unauthorized(string check, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "The credentials were not accepted",
            extensions: new Dictionary<string, object?> { ["check"] = check });

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Not allowed");

    public static ProblemHttpResult Unavailable(string detail) =>
        Refuse(StatusCodes.Status503ServiceUnavailable, "Service unavailable", detail);
}
