namespace ChatDemo.Web.Storage.DynamoDb;

internal static partial class DynamoDbLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Created DynamoDB table {Table}")]
    public static partial void TableCreated(ILogger logger, string table);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning,
        Message = "Could not enable TTL on {Table} (local engines such as dynalite have no UpdateTimeToLive); expired items stay until deleted")]
    public static partial void TimeToLiveUnavailable(ILogger logger, string table, Exception exception);

    [LoggerMessage(EventId = 402, Level = LogLevel.Information, Message = "Pruned {Count} vanished connections from the presence of user {UserId} in room {Room}")]
    public static partial void PrunedPresence(ILogger logger, int count, string room, string userId);
}
