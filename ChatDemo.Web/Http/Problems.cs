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

    public static ProblemHttpResult PayloadTooLarge(string detail) =>
        Refuse(StatusCodes.Status413PayloadTooLarge, "The request body is too large", detail);

    public static ProblemHttpResult UnsupportedMediaType(string detail) =>
        Refuse(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type", detail);

    public static ProblemHttpResult Unavailable(string detail) =>
        Refuse(StatusCodes.Status503ServiceUnavailable, "Service unavailable", detail);
}
