using System.ComponentModel;
using System.Globalization;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChatDemo.Web.History;

public static class HistoryApi
{
    /// <summary>
    /// <c>GET /api/rooms/{room}/messages</c> and <c>…/messages/{seq}</c>, under <see cref="RoomRoutes.MapRoomRoutes"/> (which checks the room).
    /// </summary>
    public static RouteGroupBuilder MapHistory(this RouteGroupBuilder rooms)
    {
        rooms.MapGet("/messages", GetMessages)
            .WithName("GetRoomMessages")
            .WithSummary("Read a room's history")
            .WithDescription("Messages in ascending seq. Without after/before: the newest `limit`. With after=N: the oldest `limit` " +
                             "with seq > N (catch-up after a reconnect). With before=N: the newest `limit` with seq < N (scrolling back). " +
                             "`hasMore` says whether more exist in the direction asked. With changedSince=R (v1.1): the messages changed after " +
                             "room revision R, in their current state, by ascending revision; ask again with changedSince = the page's `revision` " +
                             "while `hasMore`. Every page carries `revision`: every change up to it is reflected in the page. " +
                             "An unknown room is an empty list. No token needed for a public room; a private room (v1.2) needs " +
                             "'Authorization: Bearer <session token>' of a member: 401 without one, 403 for a non-member.")
            .Produces<HistoryPage>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .RequireChatRateLimit(RateLimiting.Api);
        rooms.MapGet("/messages/{seq}", GetMessage)
            .WithName("GetRoomMessage")
            .WithSummary("Read one message in its current state")
            .WithDescription("The message's state as in history (protocol.md 10.1): for a reply whose target is not loaded. " +
                             "404 when the room has no message with that seq. A private room: 401 without a token, 403 for a non-member.")
            .Produces<ChatMessage>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireChatRateLimit(RateLimiting.Api);
        return rooms;
    }

    private static async Task<Results<Ok<HistoryPage>, ProblemHttpResult>> GetMessages(
        [Description(RoomRoutes.RoomDescription)] string room,
        [Description("Return the oldest messages with seq greater than this (an integer >= 0). Cannot be combined with before.")] string? after,
        [Description("Return the newest messages with seq less than this (an integer >= 0). Cannot be combined with after.")] string? before,
        [Description("v1.1: return the messages changed after this room revision (an integer >= 0). Cannot be combined with after or before.")] string? changedSince,
        [Description("Page size, 1-100; default 50.")] string? limit,
        HttpRequest request,
        IMessageStore store,
        IMessageChangeStore changes,
        CancellationToken cancellationToken)
    {
        if (!TryParseBound(request, "after", after, out var afterSeq, out var problem)) return problem!;
        if (!TryParseBound(request, "before", before, out var beforeSeq, out problem)) return problem!;
        if (afterSeq is not null && beforeSeq is not null)
            return Problems.BadRequest("after and before cannot be combined; ask for one direction at a time.");
        if (!TryParseNumber(request, "changedSince", changedSince, "an integer >= 0 (a room revision)", out var since, out problem)) return problem!;
        if (since is not null && (afterSeq is not null || beforeSeq is not null))
            return Problems.BadRequest("changedSince cannot be combined with after or before: catch up new messages and changes separately.");

        var take = ChatRules.DefaultHistoryLimit;
        if (request.Query.ContainsKey("limit"))
        {
            if (request.Query["limit"].Count != 1 || !IsDigits(limit) || !int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take)
                || take is < 1 or > ChatRules.MaxHistoryLimit)
                return Problems.BadRequest($"limit must be an integer from 1 to {ChatRules.MaxHistoryLimit}.");
        }

        var page = since is { } revision
            ? await changes.GetChangedSinceAsync(room, revision, take, cancellationToken)
            : await store.GetMessagesAsync(room, new HistoryQuery(afterSeq, beforeSeq, take), cancellationToken);
        return TypedResults.Ok(new HistoryPage(room, page.Messages, page.HasMore, page.Revision));
    }

    private static async Task<Results<Ok<ChatMessage>, ProblemHttpResult>> GetMessage(
        [Description(RoomRoutes.RoomDescription)] string room,
        [Description("The message's seq, an integer >= 1.")] string seq,
        IMessageChangeStore changes,
        CancellationToken cancellationToken)
    {
        if (!IsDigits(seq) || !long.TryParse(seq, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
            return Problems.BadRequest("seq must be an integer >= 1 (a message seq).");
        return await changes.GetMessageAsync(room, number, cancellationToken) is { } message
            ? TypedResults.Ok(message)
            : Problems.NotFound($"room {room} has no message {number}: never sent, left unused by a fault, or expired.");
    }

    // .NET's integer parsing accepts trailing NUL characters even with NumberStyles.None ("1\0"
    // parses as 1); the protocol's bounds are plain digits.
    private static bool IsDigits(string? value) => !string.IsNullOrEmpty(value) && value.All(char.IsAsciiDigit);

    private static bool TryParseBound(HttpRequest request, string name, string? value, out long? bound, out ProblemHttpResult? problem) =>
        TryParseNumber(request, name, value, "an integer >= 0 (a message seq)", out bound, out problem);

    private static bool TryParseNumber(HttpRequest request, string name, string? value, string rule, out long? number, out ProblemHttpResult? problem)
    {
        number = null;
        problem = null;
        if (!request.Query.ContainsKey(name)) return true;
        if (request.Query[name].Count != 1 || !IsDigits(value) || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            problem = Problems.BadRequest($"{name} must be {rule}.");
            return false;
        }
        number = parsed;
        return true;
    }
}

/// <summary>A page of history.</summary>
/// <param name="Room">The room asked for.</param>
/// <param name="Messages">Messages in ascending seq (with changedSince: by ascending revision), each the <c>message</c> frame's fields without <c>type</c>.</param>
/// <param name="HasMore">Whether more messages exist in the direction asked.</param>
/// <param name="Revision">v1.1: every change up to this room revision is reflected in the page (protocol.md 10.7).</param>
/// <remarks>Each message is written as the <c>message</c> frame's fields without <c>type</c> (<see cref="ChatMessage"/>'s wire converter).</remarks>
public sealed record HistoryPage(string Room, IReadOnlyList<ChatMessage> Messages, bool HasMore, long Revision);
