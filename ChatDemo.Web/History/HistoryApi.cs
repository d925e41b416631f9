using System.ComponentModel;
using System.Globalization;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChatDemo.Web.History;

public static class HistoryApi
{
    /// <summary><c>GET /api/rooms/{room}/messages</c>, under <see cref="RoomRoutes.MapRoomRoutes"/> (which checks the room).</summary>
    public static RouteGroupBuilder MapHistory(this RouteGroupBuilder rooms)
    {
        rooms.MapGet("/messages", GetMessages)
            .WithName("GetRoomMessages")
            .WithSummary("Read a room's history")
            .WithDescription("Messages in ascending seq. Without after/before: the newest `limit`. With after=N: the oldest `limit` " +
                             "with seq > N (catch-up after a reconnect). With before=N: the newest `limit` with seq < N (scrolling back). " +
                             "`hasMore` says whether more exist in the direction asked. An unknown room is an empty list. No token needed.")
            .Produces<HistoryPage>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .RequireChatRateLimit(RateLimiting.Api);
        return rooms;
    }

    private static async Task<Results<Ok<HistoryPage>, ProblemHttpResult>> GetMessages(
        [Description(RoomRoutes.RoomDescription)] string room,
        [Description("Return the oldest messages with seq greater than this (an integer >= 0). Cannot be combined with before.")] string? after,
        [Description("Return the newest messages with seq less than this (an integer >= 0). Cannot be combined with after.")] string? before,
        [Description("Page size, 1-100; default 50.")] string? limit,
        HttpRequest request,
        IChatStore store,
        CancellationToken cancellationToken)
    {
        if (!TryParseBound(request, "after", after, out var afterSeq, out var problem)) return problem!;
        if (!TryParseBound(request, "before", before, out var beforeSeq, out problem)) return problem!;
        if (afterSeq is not null && beforeSeq is not null)
            return Problems.BadRequest("after and before cannot be combined; ask for one direction at a time.");

        var take = ChatRules.DefaultHistoryLimit;
        if (request.Query.ContainsKey("limit"))
        {
            if (request.Query["limit"].Count != 1 || !IsDigits(limit) || !int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take)
                || take is < 1 or > ChatRules.MaxHistoryLimit)
                return Problems.BadRequest($"limit must be an integer from 1 to {ChatRules.MaxHistoryLimit}.");
        }

        var page = await store.GetMessagesAsync(room, new HistoryQuery(afterSeq, beforeSeq, take), cancellationToken);
        return TypedResults.Ok(new HistoryPage(room, page.Messages, page.HasMore));
    }

    // .NET's integer parsing accepts trailing NUL characters even with NumberStyles.None ("1\0"
    // parses as 1); the protocol's bounds are plain digits.
    private static bool IsDigits(string? value) => !string.IsNullOrEmpty(value) && value.All(char.IsAsciiDigit);

    private static bool TryParseBound(HttpRequest request, string name, string? value, out long? bound, out ProblemHttpResult? problem)
    {
        bound = null;
        problem = null;
        if (!request.Query.ContainsKey(name)) return true;
        if (request.Query[name].Count != 1 || !IsDigits(value) || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            problem = Problems.BadRequest($"{name} must be an integer >= 0 (a message seq).");
            return false;
        }
        bound = parsed;
        return true;
    }
}

/// <summary>A page of history.</summary>
/// <param name="Room">The room asked for.</param>
/// <param name="Messages">Messages in ascending seq.</param>
/// <param name="HasMore">Whether more messages exist in the direction asked.</param>
/// <remarks>Each message is written as the <c>message</c> frame's fields without <c>type</c> (<see cref="ChatMessage"/>'s wire converter).</remarks>
public sealed record HistoryPage(string Room, IReadOnlyList<ChatMessage> Messages, bool HasMore);
