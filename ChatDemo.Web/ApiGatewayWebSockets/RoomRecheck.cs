using ChatDemo.Web.Chat;
using ChatDemo.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChatDemo.Web.ApiGatewayWebSockets;

/// <summary>
/// The room's connect rules, checked again on every frame of an API Gateway connection
/// (protocol.md 11.8). API Gateway holds the sockets, so a <c>$connect</c> that passed its checks
/// an instant before a ban or a removal, or one whose closing failed, would otherwise stay open:
/// such a connection is closed (the user's connections to the room, through
/// <see cref="IRoomConnectionCloser"/>) and its frame is not handled.
/// </summary>
internal static class RoomRecheck
{
    /// <summary>
    /// Null when the frame may go on, else the refusal it is answered with (403). When the rules
    /// cannot be read, the frame goes on: the chat core refuses a write whose rights it cannot read
    /// (<c>internal</c>), and a ping or a typing notice gives nothing away.
    /// </summary>
    public static async Task<ProblemHttpResult?> RefusedAsync(ChatConnection connection, ChatService chat, IRoomAuthority rooms,
        IRoomConnectionCloser closer, ILogger logger, CancellationToken cancellationToken)
    {
        RoomRights rights;
        try
        {
            rights = await rooms.GetRightsAsync(connection.Room, connection.User, connection.Admin, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            RoomRecheckLog.RightsFailed(logger, e, connection.ConnectionId, connection.Room);
            return null;
        }
        if (rights.Refusal is not { } refusal) return null;

        RoomRecheckLog.Refused(logger, connection.ConnectionId, connection.Room, refusal.Title);
        // The close code only names the reason in the logs: API Gateway closes with 1001 whatever it is.
        var reason = refusal.Title == "Banned" ? RoomCloseReason.Banned : RoomCloseReason.Removed;
        await closer.CloseUserConnectionsAsync(connection.Room, connection.User.Id, reason, ReadOnlyMemory<byte>.Empty, cancellationToken);
        // Whatever the closer could do, this connection no longer counts as one of the room's.
        await chat.DisconnectAsync(connection.ConnectionId, cancellationToken);
        return Problems.Refuse(StatusCodes.Status403Forbidden, refusal.Title, refusal.Detail);
    }
}

internal static partial class RoomRecheckLog
{
    [LoggerMessage(EventId = 801, Level = LogLevel.Information, Message = "Connection {ConnectionId} to room {Room} is refused by the room now ({Refusal}): closed, its frame not handled")]
    public static partial void Refused(ILogger logger, string connectionId, string room, string refusal);

    [LoggerMessage(EventId = 802, Level = LogLevel.Warning, Message = "The room's rules for connection {ConnectionId} to room {Room} could not be read; the frame goes on to the chat core")]
    public static partial void RightsFailed(ILogger logger, Exception exception, string connectionId, string room);
}
