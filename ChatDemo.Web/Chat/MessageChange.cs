namespace ChatDemo.Web.Chat;

/// <summary>A requested change to a stored message (protocol.md 10.2).</summary>
public abstract record MessageChange
{
    /// <summary>The action name the answer carries (<c>updateAck</c>'s <c>action</c>).</summary>
    public abstract string Action { get; }

    /// <summary>New text, already normalized by <see cref="ChatRules.TryNormalizeText"/>.</summary>
    public sealed record Edit(string Text) : MessageChange
    {
        public override string Action => "editMessage";
    }

    public sealed record Delete : MessageChange
    {
        public override string Action => "deleteMessage";

        /// <summary>
        /// v1.2: the requester moderates the room (owner, moderator, administrator: protocol.md 11.6)
        /// and may delete anyone's message. Set by the chat core from the room's rights, never from a frame.
        /// </summary>
        public bool ByModerator { get; init; }
    }

    /// <summary>Adds or removes the requester's reaction; <paramref name="Emoji"/> passed <see cref="Chat.Emoji.IsSingle"/>.</summary>
    public sealed record React(string Emoji, bool Add) : MessageChange
    {
        public override string Action => "react";
    }
}

/// <summary>What a change request comes to against a message's current state.</summary>
public abstract record ChangeOutcome
{
    /// <summary>Refused with an error code; nothing changes.</summary>
    public sealed record Refused(string Code, string Message) : ChangeOutcome;

    /// <summary>The request's effect is already there (a resend): nothing changes, nothing is broadcast.</summary>
    public sealed record Unchanged(ChatMessage Current) : ChangeOutcome;

    /// <summary>The next state, one version higher; the store gives it the room's next revision.</summary>
    public sealed record Changed(ChatMessage Next) : ChangeOutcome;
}
