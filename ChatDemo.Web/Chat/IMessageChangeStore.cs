namespace ChatDemo.Web.Chat;

/// <summary>
/// The store port of protocol v1.1: changing stored messages and reading them back by seq and by
/// room revision. Both engines implement it (SQLite in one transaction, DynamoDB with conditional
/// writes on the version: docs/dynamodb.md, "Changing a message"); one contract suite checks both.
/// </summary>
public interface IMessageChangeStore
{
    /// <summary>
    /// Applies <paramref name="change"/> by <paramref name="by"/> to message <paramref name="seq"/>
    /// of <paramref name="room"/> with <see cref="MessageRules.Apply"/>, atomically against the
    /// state it finds: a refusal (<c>unknown_message</c> when there is no such message) and
    /// "already done" write nothing; a change is stored at the next version under the room's
    /// next revision, which the returned state carries. Concurrent changes to one message are
    /// applied one after the other, none lost.
    /// </summary>
    Task<ChangeOutcome> ChangeMessageAsync(string room, long seq, MessageChange change, ChatUser by, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>One message in its current state; null when the room has no message with that seq.</summary>
    Task<ChatMessage?> GetMessageAsync(string room, long seq, CancellationToken cancellationToken);

    /// <summary>
    /// The messages whose latest change has a revision above <paramref name="revision"/>, in their
    /// current state, by ascending revision, at most <paramref name="limit"/>; the page's
    /// <see cref="MessagePage.Revision"/> is the revision up to which it is complete
    /// (protocol.md 10.7).
    /// </summary>
    Task<MessagePage> GetChangedSinceAsync(string room, long revision, int limit, CancellationToken cancellationToken);
}
