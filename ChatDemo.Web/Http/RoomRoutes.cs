using ChatDemo.Web.Chat;

namespace ChatDemo.Web.Http;

public static class RoomRoutes
{
    /// <summary>The route parameter every room endpoint shares, as Swagger describes it.</summary>
    public const string RoomDescription = $"Room name: {ChatRules.IdentifierChars}, case-sensitive.";

    /// <summary>
    /// <c>/api/rooms/{room}</c>: every endpoint below it answers 400 for a room that breaks the
    /// room rule before its handler runs, so no handler checks it again.
    /// </summary>
    public static RouteGroupBuilder MapRoomRoutes(this IEndpointRouteBuilder routes)
    {
        var rooms = routes.MapGroup("/api/rooms/{room}").WithTags("Rooms").ProducesProblem(StatusCodes.Status400BadRequest);
        rooms.AddEndpointFilter((context, next) =>
            ChatRules.IsValidRoom(context.HttpContext.Request.RouteValues["room"] as string)
                ? next(context)
                : ValueTask.FromResult<object?>(Problems.BadRequest(ChatRules.RoomRule + ".")));
        return rooms;
    }
}
