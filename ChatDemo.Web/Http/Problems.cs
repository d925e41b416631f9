using Microsoft.AspNetCore.Http.HttpResults;

namespace ChatDemo.Web.Http;

/// <summary>RFC 9457 problem responses with a useful <c>detail</c>, as protocol.md section 6 asks.</summary>
public static class Problems
{
    public static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "The request is not valid");

    public static ProblemHttpResult PayloadTooLarge(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status413PayloadTooLarge, title: "The request body is too large");

    public static ProblemHttpResult UnsupportedMediaType(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported content type");

    public static ProblemHttpResult Unavailable(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable");

    /// <summary>The detail of a problem that has none: one the framework wrote for a bare status code.</summary>
    public static string DefaultDetail(int? status) => status switch
    {
        StatusCodes.Status404NotFound => "There is nothing at this path; the API is described at /swagger.",
        StatusCodes.Status405MethodNotAllowed => "This path does not take this HTTP method; /swagger lists the methods of each path.",
        StatusCodes.Status415UnsupportedMediaType => "This endpoint takes application/json; /swagger shows the expected body.",
        _ => "The request could not be handled; /swagger describes the API.",
    };
}
