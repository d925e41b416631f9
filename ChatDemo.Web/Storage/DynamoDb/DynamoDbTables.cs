namespace ChatDemo.Web.Storage.DynamoDb;

/// <summary>
/// The DynamoDB key schemas, defined once: the store creates tables from these, and the SAM
/// template's tables are checked against them by the test suite.
/// </summary>
public static class DynamoDbTables
{
    /// <summary>
    /// Messages by room and seq. Partition key <c>room</c> (S), sort key <c>seq</c> (N).
    /// Besides messages (seq ≥ 1) the table holds each room's counter (same partition, seq 0)
    /// and idempotency claims (partitions starting with <c>#</c>, never a room name); see
    /// docs/dynamodb.md. Global secondary index <see cref="ByActivityIndex"/>, partition key
    /// <c>activityShard</c> (S), sort key <c>lastMessageAt</c> (N), projecting <c>lastSeq</c>: only
    /// counter items carry them (set with each seq handed out), so the index lists every room that
    /// has messages, with its latest activity, spread over <see cref="ActivityShards"/> partitions.
    /// </summary>
    public static class Messages
    {
        public const string PartitionKey = "room";
        public const string SortKey = "seq";

        public const string ByActivityIndex = "ByActivity";

        /// <summary>On a room's counter item: which of the index's partitions lists the room ("0" to "7").</summary>
        public const string ActivityShard = "activityShard";

        /// <summary>On a room's counter item: when the last seq was handed out (epoch ms), the sending time of its message.</summary>
        public const string LastMessageAt = "lastMessageAt";

        /// <summary>
        /// Partitions of the activity index. Every send updates the index, so one partition would cap
        /// the whole deployment at one partition's write rate (about 1,000 a second); eight spread it.
        /// </summary>
        public const int ActivityShards = 8;

        public const string Id = "id";
        public const string ClientMessageId = "clientMessageId";
        public const string SenderId = "senderId";
        public const string SenderName = "senderName";
        public const string Text = "text";

        /// <summary>Epoch milliseconds.</summary>
        public const string SentAt = "sentAt";

        /// <summary>On a room's counter item (seq 0): the last seq handed out.</summary>
        public const string LastSeq = "lastSeq";

        /// <summary>On a claim item: the seq the claimed message is stored under.</summary>
        public const string ClaimedSeq = "claimedSeq";

        // Protocol v1.1, message lifecycle (docs/dynamodb.md, "Changing a message").

        /// <summary>On a message: its version; absent means 1.</summary>
        public const string Version = "version";

        /// <summary>On a message: the room revision of its latest change.</summary>
        public const string Revision = "revision";

        public const string ReplyTo = "replyTo";

        /// <summary>Epoch milliseconds.</summary>
        public const string EditedAt = "editedAt";

        /// <summary>Epoch milliseconds; set on a tombstone.</summary>
        public const string DeletedAt = "deletedAt";

        /// <summary>A JSON string (StoredReactions); absent when there are none.</summary>
        public const string Reactions = "reactions";

        /// <summary>On a room's counter item: the last revision handed out.</summary>
        public const string LastRevision = "lastRevision";

        /// <summary>On a room's counter item: every revision up to it is settled.</summary>
        public const string SettledRevision = "settledRevision";

        /// <summary>On a change record: the seq of the message it changes.</summary>
        public const string ChangedSeq = "changedSeq";

        /// <summary>On a change record a reader wrote for a revision nobody recorded: true.</summary>
        public const string Void = "void";
    }

    /// <summary>
    /// Connections by id. Partition key <c>connectionId</c> (S); global secondary index
    /// <see cref="ByRoomIndex"/> with partition key <c>room</c> (S) and sort key
    /// <c>connectionId</c> (S), projecting all attributes. Only connection items carry a
    /// <c>room</c> attribute, so the index lists exactly a room's connections.
    /// </summary>
    public static class Connections
    {
        public const string PartitionKey = "connectionId";
        public const string ByRoomIndex = "ByRoom";
        public const string ByRoomPartitionKey = "room";
        public const string ByRoomSortKey = "connectionId";

        public const string UserId = "userId";
        public const string UserName = "userName";

        /// <summary>Epoch milliseconds.</summary>
        public const string ConnectedAt = "connectedAt";

        /// <summary>On a connection of an administrator's session: true (absent otherwise).</summary>
        public const string Admin = "admin";

        /// <summary>On a presence item (one per room and user): the user's connection ids (SS).</summary>
        public const string PresentConnectionIds = "connectionIds";

        /// <summary>
        /// On a send budget item (one per room and user, protocol.md 11.7): the theoretical arrival
        /// time of the next send, in epoch microseconds (docs/dynamodb.md, "Send budgets").
        /// </summary>
        public const string SendTat = "tat";

        /// <summary>On a connection: <c>rate_limited</c> answers in its current flood window.</summary>
        public const string Strikes = "strikes";

        /// <summary>On a connection: when its current flood window ends (epoch milliseconds).</summary>
        public const string StrikesUntil = "strikesUntil";
    }

    /// <summary>
    /// Rooms, their members and moderation (protocol v1.2; docs/dynamodb.md, "Rooms"). Partition
    /// key <c>pk</c> (S), sort key <c>sk</c> (S): string sort keys, so that a room's users and its
    /// moderation records are listed by prefix. Global secondary index <see cref="ByMemberIndex"/>
    /// with partition key <c>memberId</c> (S) and sort key <c>pk</c> (S): only a user item whose
    /// user holds a role carries <c>memberId</c>, so the index lists exactly the rooms a user is a
    /// member of.
    /// </summary>
    public static class Rooms
    {
        public const string PartitionKey = "pk";
        public const string SortKey = "sk";
        public const string ByMemberIndex = "ByMember";
        public const string ByMemberPartitionKey = "memberId";
        public const string ByMemberSortKey = "pk";

        // A room's record.
        public const string Visibility = "visibility";
        public const string Title = "title";
        public const string OwnerId = "ownerId";
        public const string OwnerName = "ownerName";

        /// <summary>Epoch milliseconds.</summary>
        public const string CreatedAt = "createdAt";

        // A user's standing in a room (and, for UserId and UserName, a moderation record's target).
        public const string UserId = "userId";
        public const string Name = "name";

        /// <summary>owner, moderator or member; absent when the user holds no role.</summary>
        public const string Role = "role";

        /// <summary>Epoch milliseconds.</summary>
        public const string JoinedAt = "joinedAt";

        /// <summary>Epoch milliseconds.</summary>
        public const string MutedUntil = "mutedUntil";

        /// <summary>Epoch milliseconds; present while the user is banned (even when the ban has run out).</summary>
        public const string BannedAt = "bannedAt";

        /// <summary>Epoch milliseconds; absent on a ban for good.</summary>
        public const string BannedUntil = "bannedUntil";

        // An invitation's use count.
        public const string Uses = "uses";
        public const string Room = "room";

        // A moderation record.
        public const string Id = "id";
        public const string Action = "action";
        public const string ById = "byId";
        public const string ByName = "byName";
        public const string UserName = "userName";

        /// <summary>Epoch milliseconds.</summary>
        public const string At = "at";

        /// <summary>Epoch milliseconds.</summary>
        public const string Until = "until";
        public const string Reason = "reason";

        // A read position.
        public const string Seq = "seq";
    }

    /// <summary>The TTL attribute of every table: expiry in epoch seconds.</summary>
    public const string TimeToLiveAttribute = "expiresAt";
}
