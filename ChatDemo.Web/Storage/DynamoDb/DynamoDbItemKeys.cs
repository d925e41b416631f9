namespace ChatDemo.Web.Storage.DynamoDb;

/// <summary>
/// Partition keys of the bookkeeping items that share a table with messages or connections.
/// They start with <c>#</c>, which no room name (<c>[A-Za-z0-9_-]</c>), API Gateway connection
/// id or generated connection id contains: a history query of a room or a lookup of a connection
/// can never land on one. Room and client message id contain no <c>#</c> either, so each key
/// splits back unambiguously whatever the user id holds.
/// </summary>
internal static class DynamoDbItemKeys
{
    /// <summary>Sort key of a room's counter item and of every claim item.</summary>
    public const long CounterSeq = 0;

    /// <summary>The idempotency claim of one (room, sender, clientMessageId).</summary>
    public static string Claim(string room, string senderId, string clientMessageId) =>
        $"#claim#{room}#{clientMessageId}#{senderId}";

    /// <summary>The partition of a room's change records, one per revision (sort key = the revision).</summary>
    public static string Changes(string room) => $"#rev#{room}";

    /// <summary>The presence item of one user in one room: the set of their connection ids.</summary>
    public static string Presence(string room, string userId) => $"#presence#{room}#{userId}";
}
