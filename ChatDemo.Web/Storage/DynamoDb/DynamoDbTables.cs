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
    /// docs/dynamodb.md.
    /// </summary>
    public static class Messages
    {
        public const string PartitionKey = "room";
        public const string SortKey = "seq";

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

        /// <summary>On a presence item (one per room and user): the user's connection ids (SS).</summary>
        public const string PresentConnectionIds = "connectionIds";
    }

    /// <summary>The TTL attribute of both tables: expiry in epoch seconds.</summary>
    public const string TimeToLiveAttribute = "expiresAt";
}
