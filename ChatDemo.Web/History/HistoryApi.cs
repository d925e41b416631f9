using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Serialization;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChatDemo.Web.History;

public static class HistoryApi
{
    public static IEndpointRouteBuilder MapHistory(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/rooms/{room}/messages", GetMessages)
            .WithName("GetRoomMessages")
            .WithTags("Rooms")
            .WithSummary("Read a room's history")
            .WithDescription("Messages in ascending seq. Without after/before: the newest `limit`. With after=N: the oldest `limit` " +
                             "with seq > N (catch-up after a reconnect). With before=N: the newest `limit` with seq < N (scrolling back). " +
                             "`hasMore` says whether more exist in the direction asked. An unknown room is an empty list. No token needed.")
            .Produces<HistoryPage>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .RequireChatRateLimit(RateLimiting.Api);
        return routes;
    }

    private static async Task<Results<Ok<HistoryPage>, ProblemHttpResult>> GetMessages(
        [Description("Room name: 1-64 characters of A-Z a-z 0-9 _ -, case-sensitive.")] string room,
        [Description("Return the oldest messages with seq greater than this (an integer >= 0). Cannot be combined with before.")] string? after,
        [Description("Return the newest messages with seq less than this (an integer >= 0). Cannot be combined with after.")] string? before,
        [Description("Page size, 1-100; default 50.")] string? limit,
        HttpRequest request,
        IChatStore store,
        CancellationToken cancellationToken)
    {
        if (!ChatRules.IsValidRoom(room))
            return Problems.BadRequest("room must be 1-64 characters of A-Z a-z 0-9 _ -.");
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
        return TypedResults.Ok(new HistoryPage(room, page.Messages.Select(MessageView.From).ToArray(), page.HasMore));
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
public sealed record HistoryPage(string Room, IReadOnlyList<MessageView> Messages, bool HasMore);

/// <summary>A stored message: the fields of the <c>message</c> frame without <c>type</c>.</summary>
public sealed record MessageView(
    string Room,
    long Seq,
    string Id,
    string ClientMessageId,
    UserView Sender,
    string Text,
    [property: JsonConverter(typeof(ChatTimeJsonConverter))] DateTimeOffset SentAt)
{
    public static MessageView From(ChatMessage m) =>
        new(m.Room, m.Seq, m.Id, m.ClientMessageId, new UserView(m.Sender.Id, m.Sender.Name), m.Text, m.SentAt);
}

/// <summary>A user as shown to others.</summary>
public sealed record UserView(string Id, string Name);
