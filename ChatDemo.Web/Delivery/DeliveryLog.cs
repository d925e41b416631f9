namespace ChatDemo.Web.Delivery;

internal static partial class DeliveryLog
{
    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Delivered a batch in room {Room}: {Delivered} delivered, {Gone} gone, {Failed} failed")]
    public static partial void Delivered(ILogger logger, string room, int delivered, int gone, int failed);

    [LoggerMessage(EventId = 701, Level = LogLevel.Warning, Message = "Delivering to connection {ConnectionId} in room {Room} failed")]
    public static partial void ConnectionFailed(ILogger logger, Exception exception, string connectionId, string room);

    [LoggerMessage(EventId = 702, Level = LogLevel.Error, Message = "Connection {ConnectionId} in room {Room} is gone, but removing it failed")]
    public static partial void CleanupFailed(ILogger logger, Exception exception, string connectionId, string room);
}
