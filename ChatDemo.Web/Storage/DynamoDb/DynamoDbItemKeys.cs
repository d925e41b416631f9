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

    /// <summary>The send budget of one user in one room (protocol.md 11.7).</summary>
    public static string SendBudget(string room, string userId) => $"#send#{room}#{userId}";

    // The rooms table (docs/dynamodb.md, "Rooms"): a room's own partition is its name; the
    // partitions below start with '#', so none is ever a room's.

    /// <summary>The partition of every room's record (sort key: the room's name).</summary>
    public const string RoomRecords = "#rooms";

    /// <summary>Sort key of a user's standing in a room (partition: the room).</summary>
    public static string Standing(string userId) => $"{StandingPrefix}{userId}";

    public const string StandingPrefix = "user#";

    /// <summary>
    /// Sort key of a moderation record (partition: the room): its time, as 15 digits of epoch
    /// milliseconds so that text order is time order, then its id.
    /// </summary>
    public static string ModerationRecord(DateTimeOffset at, string id) =>
        $"{ModerationPrefix}{at.ToUnixTimeMilliseconds().ToString("D15", System.Globalization.CultureInfo.InvariantCulture)}#{id}";

    public const string ModerationPrefix = "mod#";

    /// <summary>The partition of an invitation's use count (sort key <see cref="InviteUses"/>).</summary>
    public static string Invite(string inviteId) => $"#invite#{inviteId}";

    public const string InviteUses = "uses";

    /// <summary>The partition of a user's read positions (sort key: the room).</summary>
    public static string ReadPositions(string userId) => $"#read#{userId}";

    /// <summary>
    /// The activity index partition of a room ("0" to "7"): FNV-1a of its name, the same in every
    /// process and every version (string.GetHashCode is neither).
    /// </summary>
    public static string ActivityShard(string room)
    {
        var hash = 2166136261u;
        foreach (var c in room)
        {
            hash ^= c;
            hash *= 16777619u;
        }
        return (hash % DynamoDbTables.Messages.ActivityShards).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
