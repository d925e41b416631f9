using ChatDemo.Web.Configuration;
using Microsoft.Extensions.Options;

namespace ChatDemo.Web.Chat;

/// <summary>
/// The chat logic, written once for both hosting modes: joining, leaving, sending with
/// persist-before-ack and idempotent resends, typing and ping. Transports (Kestrel's
/// <c>/ws</c>, API Gateway's WebSocket routes) only move frames in and out.
/// </summary>
public sealed class ChatService(
    IChatStore store,
    IRoomFanOut fanOut,
    IConnectionSender sender,
    RoomLocks roomLocks,
    MessageAppender appender,
    TimeProvider time,
    IOptions<ChatOptions> options,
    ILogger<ChatService> logger)
{
    /// <summary>Records the connection and announces the user when it is their first in the room.</summary>
    public async Task ConnectAsync(ChatConnection connection, CancellationToken cancellationToken)
    {
        using (await roomLocks.EnterAsync(connection.Room, cancellationToken))
        {
            if (await store.AddConnectionAsync(connection, cancellationToken))
                await PublishPresenceAsync(connection.Room, connection.User, online: true, cancellationToken);
        }
        ChatLog.Connected(logger, connection.ConnectionId, connection.Room, connection.User.Id);
    }

    /// <summary>Forgets the connection and announces the user's leaving when it was their last.</summary>
    public async Task DisconnectAsync(string connectionId, CancellationToken cancellationToken)
    {
        var connection = await store.GetConnectionAsync(connectionId, cancellationToken);
        if (connection is null) return;
        using (await roomLocks.EnterAsync(connection.Room, cancellationToken))
        {
            var removed = await store.RemoveConnectionAsync(connectionId, cancellationToken);
            if (removed is { WasLastOfUser: true })
                await PublishPresenceAsync(removed.Connection.Room, removed.Connection.User, online: false, cancellationToken);
        }
        ChatLog.Disconnected(logger, connectionId, connection.Room);
    }

    /// <summary>Handles one client frame; answers go to the sender, room events to the room.</summary>
    public async Task<FrameOutcome> HandleFrameAsync(ChatClient client, ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        switch (ClientFrame.Parse(frame.Span))
        {
            case ClientFrame.SendMessage send:
                if (client.RateLimit is { } limit && !limit.TryAcquire())
                {
                    var limits = options.Value.Limits;
                    await ReplyAsync(client, ServerFrames.Error(ErrorCodes.RateLimited,
                        $"too many messages: at most {limits.SendBurst} at once, then {limits.SendPerSecond} a second; this one was not stored",
                        send.ClientMessageId), cancellationToken);
                    return limit.RecordStrike() ? FrameOutcome.CloseForFlooding : FrameOutcome.Continue;
                }
                await SendMessageAsync(client, send, cancellationToken);
                break;

            case ClientFrame.Typing:
                await fanOut.PublishAsync(
                    new RoomEvent(client.Room, RoomEventKind.Typing, ServerFrames.Typing(client.Room, client.User), client.ConnectionId),
                    cancellationToken);
                break;

            case ClientFrame.Ping:
                await ReplyAsync(client, ServerFrames.Pong, cancellationToken);
                break;

            case ClientFrame.Rejected rejected:
                ChatLog.FrameRejected(logger, client.ConnectionId, rejected.Code);
                await ReplyAsync(client, ServerFrames.Error(rejected.Code, rejected.Message, rejected.ClientMessageId), cancellationToken);
                break;
        }
        return FrameOutcome.Continue;
    }

    private async Task SendMessageAsync(ChatClient client, ClientFrame.SendMessage send, CancellationToken cancellationToken)
    {
        var now = ChatTime.Truncate(time.GetUtcNow());
        var message = new NewMessage(client.Room, Ids.NewMessageId(), send.ClientMessageId, client.User, send.Text,
            now, now.AddDays(options.Value.MessageRetentionDays));

        AppendResult result;
        try
        {
            result = await appender.AppendAsync(message);
        }
        catch (Exception e)
        {
            ChatLog.SendFailed(logger, e, client.ConnectionId, client.Room);
            await ReplyAsync(client, ServerFrames.Error(ErrorCodes.Internal,
                "the message could not be stored; send it again with the same clientMessageId", send.ClientMessageId), cancellationToken);
            return;
        }

        if (result.Duplicate) ChatLog.DuplicateSend(logger, client.ConnectionId, client.Room, result.Message.Seq);
        await ReplyAsync(client, ServerFrames.Ack(result.Message, result.Duplicate), cancellationToken);
    }

    private ValueTask PublishPresenceAsync(string room, ChatUser user, bool online, CancellationToken cancellationToken) =>
        fanOut.PublishAsync(
            new RoomEvent(room, RoomEventKind.Presence, ServerFrames.Presence(room, user, online, ChatTime.Truncate(time.GetUtcNow()))),
            cancellationToken);

    /// <summary>
    /// Answers the sender. A sender found gone while answering (410 on AWS) is forgotten exactly as
    /// the delivery path forgets one, so that its user is not left listed online.
    /// </summary>
    private async Task ReplyAsync(ChatClient client, ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        if (!await sender.SendAsync(client.ConnectionId, frame, cancellationToken))
            await DisconnectAsync(client.ConnectionId, cancellationToken);
    }
}
