using ChatDemo.Web.Chat;

namespace ChatDemo.Web.Aws;

/// <summary>
/// AWS mode's <see cref="IRoomConnectionCloser"/> (protocol.md 11.8). No process holds the
/// sockets: the user's connections to the room are read from the store, and API Gateway closes
/// each one on <c>DeleteConnection</c>, always with 1001, since it cannot send a close code. So
/// each first receives the <c>member</c> frame that says why (PostToConnection: the room's copy
/// travels EventBridge and the workflow and would come after the close), then is deleted, then is
/// removed from the store as its <c>$disconnect</c> would remove it: the user is announced offline
/// at once and no room event is delivered to it any more; the <c>$disconnect</c> API Gateway sends
/// afterwards finds nothing left to do. Connections of an administrator's session are left open.
/// </summary>
public sealed class ApiGatewayConnectionCloser(
    ApiGatewayManagementClient client, IConnectionStore store, ChatService chat, ILogger<ApiGatewayConnectionCloser> logger)
    : IRoomConnectionCloser, IConnectionCloser
{
    /// <summary>Connections closed at once; a user rarely has more than a few tabs open.</summary>
    private const int MaxConcurrency = 8;

    public async ValueTask CloseUserConnectionsAsync(string room, string userId, RoomCloseReason reason, ReadOnlyMemory<byte> memberFrame,
        CancellationToken cancellationToken)
    {
        // Nobody acts on an administrator: their sessions' connections stay open.
        var connections = (await store.GetUserConnectionsAsync(room, userId, cancellationToken)).Where(c => !c.Admin);
        await Parallel.ForEachAsync(connections, new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrency, CancellationToken = cancellationToken },
            async (connection, token) =>
            {
                try
                {
                    var open = memberFrame.IsEmpty
                        || await client.PostToConnectionAsync(connection.ConnectionId, memberFrame, token) == PostResult.Delivered;
                    if (open) await client.DeleteConnectionAsync(connection.ConnectionId, token);
                    AwsLog.ConnectionClosedByRoom(logger, connection.ConnectionId, room, (int)reason);
                }
                catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    // Still removed below: a connection the store no longer knows gets no room
                    // events, its frames are answered 410 by the message route, and its client,
                    // hearing nothing, reconnects and meets the room's checks.
                    AwsLog.CloseByRoomFailed(logger, e, connection.ConnectionId, room, (int)reason);
                }
                await chat.DisconnectAsync(connection.ConnectionId, token);
            });
    }

    /// <summary>
    /// A connection that kept sending over its limit (protocol.md 11.8): deleted (seen as 1001:
    /// API Gateway cannot send 1008) and removed from the store as its <c>$disconnect</c> would
    /// remove it; its <c>rate_limited</c> answers were posted before.
    /// </summary>
    public async ValueTask CloseForFloodingAsync(string connectionId, CancellationToken cancellationToken)
    {
        try
        {
            await client.DeleteConnectionAsync(connectionId, cancellationToken);
            AwsLog.ConnectionClosedForFlooding(logger, connectionId);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            AwsLog.CloseForFloodingFailed(logger, e, connectionId);
        }
        await chat.DisconnectAsync(connectionId, cancellationToken);
    }
}
