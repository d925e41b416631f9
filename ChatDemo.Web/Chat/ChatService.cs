using System.Diagnostics;
using ChatDemo.Web.Configuration;
using ChatDemo.Web.Telemetry;
using Microsoft.Extensions.Options;

namespace ChatDemo.Web.Chat;

/// <summary>
/// The chat logic, written once for both hosting modes: joining, leaving, sending with
/// persist-before-ack and idempotent resends, changing messages (v1.1), typing and ping. Transports (Kestrel's
/// <c>/ws</c>, API Gateway's WebSocket routes) only move frames in and out.
/// </summary>
public sealed class ChatService(
    IConnectionStore store,
    IMessageChangeStore changes,
    IRoomFanOut fanOut,
    IConnectionSender sender,
    IRoomAuthority rooms,
    RoomLocks roomLocks,
    MessageAppender appender,
    TimeProvider time,
    IOptions<ChatOptions> options,
    ChatMetrics metrics,
    ILogger<ChatService> logger)
{
    /// <summary>Records the connection and announces the user when it is their first in the room.</summary>
    public async Task ConnectAsync(ChatConnection connection, CancellationToken cancellationToken)
    {
        using var span = ChatTelemetry.StartConnectionSpan("chat.connect", connection.ConnectionId, connection.Room);
        using (await roomLocks.EnterAsync(connection.Room, cancellationToken))
        {
            if (await store.AddConnectionAsync(connection, cancellationToken))
                await PublishPresenceAsync(connection.Room, connection.User, online: true, cancellationToken);
        }
        metrics.ConnectionsOpen.Add(1);
        ChatLog.Connected(logger, connection.ConnectionId, connection.Room, connection.User.Id);
    }

    /// <summary>Forgets the connection and announces the user's leaving when it was their last.</summary>
    public async Task DisconnectAsync(string connectionId, CancellationToken cancellationToken)
    {
        using var span = ChatTelemetry.StartConnectionSpan("chat.disconnect", connectionId, room: null);
        var connection = await store.GetConnectionAsync(connectionId, cancellationToken);
        if (connection is null) return;
        span?.SetTag(ChatTelemetry.Attributes.Room, connection.Room);
        using (await roomLocks.EnterAsync(connection.Room, cancellationToken))
        {
            var removed = await store.RemoveConnectionAsync(connectionId, cancellationToken);
            if (removed is not null) metrics.ConnectionsOpen.Add(-1);
            if (removed is { WasLastOfUser: true })
                await PublishPresenceAsync(removed.Connection.Room, removed.Connection.User, online: false, cancellationToken);
        }
        ChatLog.Disconnected(logger, connectionId, connection.Room);
    }

    /// <summary>Handles one client frame; answers go to the sender, room events to the room.</summary>
    public async Task<FrameOutcome> HandleFrameAsync(ChatClient client, ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        var parsed = ClientFrame.Parse(frame.Span);
        using var span = ChatTelemetry.StartFrameSpan(FrameType(parsed), client.ConnectionId, client.Room);
        switch (parsed)
        {
            case ClientFrame.SendMessage send:
                if (await RightsToWriteAsync(client, send.ClientMessageId, cancellationToken) is null) break;
                if (await OverRateAsync(client, send.ClientMessageId, cancellationToken) is { } sendRefused) return sendRefused;
                await SendMessageAsync(client, send, cancellationToken);
                break;

            case ClientFrame.ChangeMessage change:
                if (await RightsToWriteAsync(client, change.ClientMessageId, cancellationToken) is not { } rights) break;
                // Edits, deletes and reactions spend the same budget as sends (protocol.md 10.5).
                if (await OverRateAsync(client, change.ClientMessageId, cancellationToken) is { } changeRefused) return changeRefused;
                // Whoever moderates the room may delete anyone's message (protocol.md 11.6).
                if (change.Change is MessageChange.Delete delete && rights.Moderates)
                    change = change with { Change = delete with { ByModerator = true } };
                await ChangeMessageAsync(client, change, cancellationToken);
                break;

            case ClientFrame.Typing:
                // A muted user's typing is dropped silently (protocol.md 11.6); so is it when the rights cannot be read.
                if (await TryGetRightsAsync(client, cancellationToken) is not { MutedUntil: null }) break;
                await fanOut.PublishAsync(
                    new RoomEvent(client.Room, RoomEventKind.Typing, ServerFrames.Typing(client.Room, client.User), client.ConnectionId),
                    cancellationToken);
                break;

            case ClientFrame.Ping:
                await ReplyAsync(client, ServerFrames.Pong, cancellationToken);
                break;

            case ClientFrame.Rejected rejected:
                metrics.FramesRefused.Add(1, new KeyValuePair<string, object?>(ChatMetrics.Tags.Reason, rejected.Code));
                span?.SetTag(ChatTelemetry.Attributes.Outcome, rejected.Code);
                ChatLog.FrameRejected(logger, client.ConnectionId, rejected.Code);
                await ReplyAsync(client, ServerFrames.Error(rejected.Code, rejected.Message, rejected.ClientMessageId), cancellationToken);
                break;
        }
        return FrameOutcome.Continue;
    }

    /// <summary>
    /// The rights of a frame that writes (send, edit, delete, react), checked after the frame's own
    /// validation and before the rate limit (protocol.md 11.6): null when it was refused here, with
    /// <c>muted</c> (and <c>until</c>), or with <c>internal</c> when the rights could not be read.
    /// </summary>
    private async Task<RoomRights?> RightsToWriteAsync(ChatClient client, string? clientMessageId, CancellationToken cancellationToken)
    {
        var rights = await TryGetRightsAsync(client, cancellationToken);
        if (rights is null)
        {
            await ReplyAsync(client, ServerFrames.Error(ErrorCodes.Internal,
                "the room's rules could not be read; send it again", clientMessageId), cancellationToken);
            return null;
        }
        if (rights.MutedUntil is not { } until) return rights;
        metrics.FramesRefused.Add(1, new KeyValuePair<string, object?>(ChatMetrics.Tags.Reason, ErrorCodes.Muted));
        Activity.Current?.SetTag(ChatTelemetry.Attributes.Outcome, ErrorCodes.Muted);
        ChatLog.FrameRejected(logger, client.ConnectionId, ErrorCodes.Muted);
        await ReplyAsync(client, ServerFrames.Muted(until, clientMessageId), cancellationToken);
        return null;
    }

    private async Task<RoomRights?> TryGetRightsAsync(ChatClient client, CancellationToken cancellationToken)
    {
        try
        {
            return await rooms.GetFrameRightsAsync(client.Room, client.User, client.Admin, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            ChatLog.RightsFailed(logger, e, client.ConnectionId, client.Room);
            return null;
        }
    }

    /// <summary>
    /// Takes a token of the user's budget in the room; when there is none, answers <c>rate_limited</c>
    /// and says what to do. A budget kept in the store (AWS) that cannot be read refuses the frame
    /// with <c>internal</c>, as unreadable rights do: letting it through would let a flood pass
    /// exactly when the flooder's own budget item is throttled.
    /// </summary>
    private async Task<FrameOutcome?> OverRateAsync(ChatClient client, string? clientMessageId, CancellationToken cancellationToken)
    {
        if (client.RateLimit is not { } limit) return null;
        try
        {
            if (await limit.TryAcquireAsync(cancellationToken)) return null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            ChatLog.RateLimitFailed(logger, e, client.ConnectionId, client.Room);
            await ReplyAsync(client, ServerFrames.Error(ErrorCodes.Internal,
                "the rate limit could not be read; send it again", clientMessageId), cancellationToken);
            return FrameOutcome.Continue;
        }
        metrics.RateLimited.Add(1);
        Activity.Current?.SetTag(ChatTelemetry.Attributes.Outcome, ErrorCodes.RateLimited);
        var limits = options.Value.Limits;
        await ReplyAsync(client, ServerFrames.Error(ErrorCodes.RateLimited,
            $"too many messages: at most {limits.SendBurst} at once, then {limits.SendPerSecond} a second; this one was not stored",
            clientMessageId), cancellationToken);
        try
        {
            return await limit.RecordStrikeAsync(cancellationToken) ? FrameOutcome.CloseForFlooding : FrameOutcome.Continue;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The frame is refused all the same; only this strike goes uncounted.
            ChatLog.RateLimitFailed(logger, e, client.ConnectionId, client.Room);
            return FrameOutcome.Continue;
        }
    }

    private async Task SendMessageAsync(ChatClient client, ClientFrame.SendMessage send, CancellationToken cancellationToken)
    {
        var now = ChatTime.Truncate(time.GetUtcNow());
        var message = new NewMessage(client.Room, Ids.NewMessageId(), send.ClientMessageId, client.User, send.Text,
            now, now.AddDays(options.Value.MessageRetentionDays))
        {
            ReplyTo = send.ReplyTo,
        };

        if (send.ReplyTo is { } replyTo)
        {
            // Outside the append: a message, once stored, stays (as a tombstone) until it expires,
            // so a resend of this reply finds its target as the original did (MessageRules.CheckReplyTarget).
            ChangeOutcome.Refused? refused;
            try
            {
                refused = MessageRules.CheckReplyTarget(replyTo, await changes.GetMessageAsync(client.Room, replyTo, cancellationToken));
            }
            catch (Exception e)
            {
                ChatLog.SendFailed(logger, e, client.ConnectionId, client.Room);
                await ReplyAsync(client, ServerFrames.Error(ErrorCodes.Internal,
                    "the message could not be stored; send it again with the same clientMessageId", send.ClientMessageId), cancellationToken);
                return;
            }
            if (refused is not null)
            {
                await ReplyAsync(client, ServerFrames.Error(refused.Code, refused.Message, send.ClientMessageId), cancellationToken);
                return;
            }
        }

        AppendResult result;
        try
        {
            result = await appender.AppendAsync(message);
        }
        catch (Exception e)
        {
            Activity.Current?.SetStatus(ActivityStatusCode.Error, "storing the message failed");
            ChatLog.SendFailed(logger, e, client.ConnectionId, client.Room);
            await ReplyAsync(client, ServerFrames.Error(ErrorCodes.Internal,
                "the message could not be stored; send it again with the same clientMessageId", send.ClientMessageId), cancellationToken);
            return;
        }

        Activity.Current?.SetTag(ChatTelemetry.Attributes.Seq, result.Message.Seq);
        if (result.Duplicate) ChatLog.DuplicateSend(logger, client.ConnectionId, client.Room, result.Message.Seq);
        await ReplyAsync(client, ServerFrames.Ack(result.Message, result.Duplicate), cancellationToken);
    }

    /// <summary>
    /// An edit, delete or reaction: stored and fanned out under the room's lock, like sends, so a
    /// room's connections receive its states in version order and after the message itself; the
    /// requester gets an <c>updateAck</c> with the state after its request.
    /// </summary>
    private async Task ChangeMessageAsync(ChatClient client, ClientFrame.ChangeMessage request, CancellationToken cancellationToken)
    {
        ChangeOutcome outcome;
        try
        {
            using (await roomLocks.EnterAsync(client.Room, cancellationToken))
            {
                outcome = await changes.ChangeMessageAsync(client.Room, request.Seq, request.Change, client.User, time.GetUtcNow(), cancellationToken);
                if (outcome is ChangeOutcome.Changed changed) await PublishChangeAsync(changed.Next, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            ChatLog.ChangeFailed(logger, e, client.ConnectionId, client.Room, request.Seq);
            await ReplyAsync(client, ServerFrames.Error(ErrorCodes.Internal,
                "the change could not be stored; send it again", request.ClientMessageId), cancellationToken);
            return;
        }

        var answer = outcome switch
        {
            ChangeOutcome.Changed changed => ServerFrames.UpdateAck(request.Change.Action, request.ClientMessageId, duplicate: false, changed.Next),
            ChangeOutcome.Unchanged unchanged => ServerFrames.UpdateAck(request.Change.Action, request.ClientMessageId, duplicate: true, unchanged.Current),
            ChangeOutcome.Refused refused => ServerFrames.Error(refused.Code, refused.Message, request.ClientMessageId),
            _ => throw new InvalidOperationException($"unknown outcome {outcome}"),
        };
        if (outcome is ChangeOutcome.Refused rejected) ChatLog.FrameRejected(logger, client.ConnectionId, rejected.Code);
        await ReplyAsync(client, answer, cancellationToken);
    }

    private async Task PublishChangeAsync(ChatMessage next, CancellationToken cancellationToken)
    {
        try
        {
            await fanOut.PublishAsync(new RoomEvent(next.Room, RoomEventKind.MessageUpdated, ServerFrames.MessageUpdated(next)), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The change is stored: its requester still gets the state in its updateAck, and the
            // room's clients find it with changedSince when the next revision shows them the gap.
            ChatLog.ChangePublishFailed(logger, e, next.Room, next.Seq, next.Version);
        }
    }

    private static string FrameType(ClientFrame frame) => frame switch
    {
        ClientFrame.SendMessage => "sendMessage",
        ClientFrame.ChangeMessage change => change.Change.Action,
        ClientFrame.Typing => "typing",
        ClientFrame.Ping => "ping",
        _ => "refused",
    };

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
