namespace ChatDemo.Web.Aws;

/// <summary>Log events of the AWS clients and the AWS fan-out. Frame contents are never logged.</summary>
internal static partial class AwsLog
{
    [LoggerMessage(EventId = 600, Level = LogLevel.Warning, Message = "{Service} call failed on attempt {Attempt} ({Error}: {Detail}); retrying")]
    public static partial void Retrying(ILogger logger, string service, int attempt, string error, string detail);

    [LoggerMessage(EventId = 601, Level = LogLevel.Warning, Message = "PutEvents: {Failed} of {Total} entries failed on attempt {Attempt} (first: {ErrorCode}); retrying those")]
    public static partial void RetryingFailedEntries(ILogger logger, int failed, int total, int attempt, string? errorCode);

    [LoggerMessage(EventId = 602, Level = LogLevel.Debug, Message = "Connection {ConnectionId} is gone (410) on {Operation}")]
    public static partial void ConnectionGone(ILogger logger, string connectionId, string operation);

    [LoggerMessage(EventId = 603, Level = LogLevel.Information, Message = "Connection {ConnectionId} to room {Room} closed by the room (close code {CloseCode}: API Gateway sends 1001)")]
    public static partial void ConnectionClosedByRoom(ILogger logger, string connectionId, string room, int closeCode);

    [LoggerMessage(EventId = 604, Level = LogLevel.Warning, Message = "Closing connection {ConnectionId} to room {Room} (close code {CloseCode}) failed; it is removed from the store all the same")]
    public static partial void CloseByRoomFailed(ILogger logger, Exception exception, string connectionId, string room, int closeCode);

    [LoggerMessage(EventId = 605, Level = LogLevel.Information, Message = "Connection {ConnectionId} closed for flooding past its send limit (API Gateway sends 1001)")]
    public static partial void ConnectionClosedForFlooding(ILogger logger, string connectionId);

    [LoggerMessage(EventId = 606, Level = LogLevel.Warning, Message = "Closing connection {ConnectionId} for flooding failed; it is removed from the store all the same")]
    public static partial void CloseForFloodingFailed(ILogger logger, Exception exception, string connectionId);
}
