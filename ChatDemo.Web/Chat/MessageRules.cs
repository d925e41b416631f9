namespace ChatDemo.Web.Chat;

/// <summary>
/// The rules of protocol.md 10.5 and 10.6 as one pure function: a message's current state and a
/// request give a refusal, "already done" or the next state. Both stores call it inside their
/// atomic step (a SQLite transaction; DynamoDB's read and conditional write on the version, retried
/// on a race), so the rules are written once and every store applies them to the state it holds.
/// </summary>
public static class MessageRules
{
    public static ChangeOutcome Apply(ChatMessage current, MessageChange change, ChatUser by, DateTimeOffset at)
    {
        at = ChatTime.Truncate(at);
        switch (change)
        {
            case MessageChange.Edit edit:
                if (!IsAuthor(current, by)) return NotAuthor("edit");
                if (current.IsDeleted) return Deleted(current.Seq, "edited");
                if (current.Text == edit.Text) return new ChangeOutcome.Unchanged(current);
                return Next(current with { Text = edit.Text, EditedAt = at });

            case MessageChange.Delete delete:
                if (!MayDelete(current, by, delete.ByModerator)) return NotAuthor("delete");
                if (current.IsDeleted) return new ChangeOutcome.Unchanged(current);
                return Next(current with
                {
                    Text = "",
                    DeletedAt = at,
                    EditedAt = null,
                    ReplyTo = null,
                    Reactions = ReactionSet.Empty,
                });

            case MessageChange.React { Add: true } react:
                if (current.IsDeleted) return Deleted(current.Seq, "reacted to");
                if (current.Reactions.Contains(react.Emoji, by.Id)) return new ChangeOutcome.Unchanged(current);
                if (!current.Reactions.HasRoomFor(react.Emoji))
                    return new ChangeOutcome.Refused(ErrorCodes.TooManyReactions,
                        $"a message has at most {ReactionSet.MaxDistinct} different emoji and {ReactionSet.MaxTotal} reactions in all");
                return Next(current with { Reactions = current.Reactions.With(react.Emoji, by) });

            case MessageChange.React react:
                if (current.IsDeleted) return Deleted(current.Seq, "reacted to");
                if (!current.Reactions.Contains(react.Emoji, by.Id)) return new ChangeOutcome.Unchanged(current);
                return Next(current with { Reactions = current.Reactions.Without(react.Emoji, by.Id) });

            default:
                throw new ArgumentOutOfRangeException(nameof(change), change, "unknown change");
        }
    }

    /// <summary>
    /// A <c>replyTo</c> target: null when a reply to it may be stored, else the refusal. A tombstone
    /// may be replied to: once stored, a message stays (as a tombstone) until it expires, so a resend
    /// of a reply finds its target as the original did and is answered as a duplicate.
    /// </summary>
    public static ChangeOutcome.Refused? CheckReplyTarget(long replyTo, ChatMessage? target) =>
        target is null ? UnknownMessage(replyTo) : null;

    public static ChangeOutcome.Refused UnknownMessage(long seq) =>
        new(ErrorCodes.UnknownMessage, $"this room has no message {seq}");

    private static bool IsAuthor(ChatMessage message, ChatUser user) => message.Sender.Id == user.Id;

    // The author, and from v1.2 whoever moderates the room (protocol.md 11.6).
    private static bool MayDelete(ChatMessage message, ChatUser user, bool byModerator) => byModerator || IsAuthor(message, user);

    private static ChangeOutcome.Refused NotAuthor(string verb) =>
        new(ErrorCodes.NotAuthor, $"only the author of a message may {verb} it");

    private static ChangeOutcome.Refused Deleted(long seq, string verb) =>
        new(ErrorCodes.MessageDeleted, $"message {seq} was deleted and cannot be {verb}");

    private static ChangeOutcome.Changed Next(ChatMessage next) => new(next with { Version = next.Version + 1 });
}
