namespace ChatDemo.Web.Http;

/// <summary>
/// The JSON body an endpoint reads itself (<see cref="JsonBody"/>), described for Swagger only,
/// with the 413 and 415 that reading it may answer.
/// </summary>
/// <remarks>
/// Not <c>Accepts&lt;T&gt;</c>: its metadata makes routing answer 415 to another Content-Type before
/// the handler runs, ahead of the token, membership and guest checks that protocol.md (1, 1.1, 11.9)
/// puts first; and the member exchange of <c>POST /api/sessions</c> ignores its body whatever its type.
/// </remarks>
public sealed record JsonRequestBody(Type Type)
{
    public const string ContentType = "application/json";
}

public static class JsonRequestBodyExtensions
{
    public static RouteHandlerBuilder DescribesJsonBody<T>(this RouteHandlerBuilder endpoint) =>
        endpoint.WithMetadata(new JsonRequestBody(typeof(T)))
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
}
