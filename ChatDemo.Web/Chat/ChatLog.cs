namespace ChatDemo.Web.Chat;

/// <summary>Chat logic's log events. Tokens and message texts are never logged.</summary>
internal static partial class ChatLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Connection {ConnectionId} joined room {Room} as {UserId}")]
    public static partial void Connected(ILogger logger, string connectionId, string room, string userId);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Connection {ConnectionId} left room {Room}")]
    public static partial void Disconnected(ILogger logger, string connectionId, string room);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Connection {ConnectionId} sent a frame rejected with {Code}")]
    public static partial void FrameRejected(ILogger logger, string connectionId, string code);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Connection {ConnectionId} resent message {Seq} in room {Room}; answered as duplicate")]
    public static partial void DuplicateSend(ILogger logger, string connectionId, string room, long seq);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "Storing a message from connection {ConnectionId} in room {Room} failed")]
    public static partial void SendFailed(ILogger logger, Exception exception, string connectionId, string room);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "Message {Seq} of room {Room} is stored but its fan-out failed; clients will find it in history")]
    public static partial void PublishFailed(ILogger logger, Exception exception, string room, long seq);

    [LoggerMessage(EventId = 7, Level = LogLevel.Error, Message = "Changing message {Seq} of room {Room} for connection {ConnectionId} failed")]
    public static partial void ChangeFailed(ILogger logger, Exception exception, string connectionId, string room, long seq);

    [LoggerMessage(EventId = 8, Level = LogLevel.Error, Message = "Version {Version} of message {Seq} of room {Room} is stored but its fan-out failed; clients will find it with changedSince")]
    public static partial void ChangePublishFailed(ILogger logger, Exception exception, string room, long seq, long version);

    [LoggerMessage(EventId = 9, Level = LogLevel.Error, Message = "Reading the rights of connection {ConnectionId} in room {Room} failed")]
    public static partial void RightsFailed(ILogger logger, Exception exception, string connectionId, string room);

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "Reading or updating the send budget of connection {ConnectionId} in room {Room} failed")]
    public static partial void RateLimitFailed(ILogger logger, Exception exception, string connectionId, string room);
}
