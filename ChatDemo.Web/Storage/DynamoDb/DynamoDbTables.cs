namespace ChatDemo.Web.Storage.DynamoDb;

/// <summary>
/// The DynamoDB key schemas, defined once: the store creates tables from these, and the SAM
/// template's tables are checked against them by the test suite.
/// </summary>
public static class DynamoDbTables
{
    /// <summary>Messages by room and seq. Partition key <c>room</c> (S), sort key <c>seq</c> (N).</summary>
    public static class Messages
    {
        public const string PartitionKey = "room";
        public const string SortKey = "seq";
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
    }

    /// <summary>The TTL attribute of both tables: expiry in epoch seconds.</summary>
    public const string TimeToLiveAttribute = "expiresAt";
}
