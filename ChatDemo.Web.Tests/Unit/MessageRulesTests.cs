using ChatDemo.Web.Chat;

namespace ChatDemo.Web.Tests.Unit;

public sealed class MessageRulesTests
{
    private static readonly ChatUser Alice = new("u_a", "Alice");
    private static readonly ChatUser Bob = new("u_b", "Bob");
    private static readonly DateTimeOffset SentAt = new(2026, 11, 26, 10, 15, 30, 123, TimeSpan.Zero);
    private static readonly DateTimeOffset Later = SentAt.AddMinutes(1).AddTicks(4567); // sub-millisecond: truncated

    private static readonly ChatMessage Original = new("lobby", 42, "m_1", "c-17", Alice, "hi", SentAt) { ReplyTo = 41 };

    private static ChatMessage Changed(ChangeOutcome outcome) => Assert.IsType<ChangeOutcome.Changed>(outcome).Next;

    private static void Refused(ChangeOutcome outcome, string code)
    {
        var refused = Assert.IsType<ChangeOutcome.Refused>(outcome);
        Assert.Equal(code, refused.Code);
        Assert.False(string.IsNullOrWhiteSpace(refused.Message));
    }

    [Fact]
    public void AnEditByTheAuthorReplacesTheTextAndTakesTheNextVersion()
    {
        var next = Changed(MessageRules.Apply(Original, new MessageChange.Edit("hi all"), Alice, Later));

        Assert.Equal(Original with { Text = "hi all", EditedAt = ChatTime.Truncate(Later), Version = 2 }, next);
    }

    [Fact]
    public void OnlyTheAuthorEditsOrDeletes()
    {
        Refused(MessageRules.Apply(Original, new MessageChange.Edit("mine now"), Bob, Later), ErrorCodes.NotAuthor);
        Refused(MessageRules.Apply(Original, new MessageChange.Delete(), Bob, Later), ErrorCodes.NotAuthor);
    }

    [Fact]
    public void AnEditToTheSameTextIsAResendThatChangesNothing()
    {
        var edited = Changed(MessageRules.Apply(Original, new MessageChange.Edit("hi all"), Alice, Later));

        var again = Assert.IsType<ChangeOutcome.Unchanged>(MessageRules.Apply(edited, new MessageChange.Edit("hi all"), Alice, Later.AddSeconds(5)));
        Assert.Same(edited, again.Current);
    }

    [Fact]
    public void ADeleteLeavesATombstoneWithoutTextReactionsOrReply()
    {
        var reacted = Changed(MessageRules.Apply(Original, new MessageChange.React("👍", Add: true), Bob, Later));
        var edited = Changed(MessageRules.Apply(reacted, new MessageChange.Edit("hi all"), Alice, Later));

        var tombstone = Changed(MessageRules.Apply(edited, new MessageChange.Delete(), Alice, Later.AddSeconds(1)));

        Assert.Equal(Original with { Text = "", DeletedAt = ChatTime.Truncate(Later.AddSeconds(1)), ReplyTo = null, Version = 4 }, tombstone);
        Assert.True(tombstone.IsDeleted);
        Assert.True(tombstone.Reactions.IsEmpty);
    }

    [Fact]
    public void ADeletedMessageStaysDeleted()
    {
        var tombstone = Changed(MessageRules.Apply(Original, new MessageChange.Delete(), Alice, Later));

        Assert.IsType<ChangeOutcome.Unchanged>(MessageRules.Apply(tombstone, new MessageChange.Delete(), Alice, Later));
        Refused(MessageRules.Apply(tombstone, new MessageChange.Delete(), Bob, Later), ErrorCodes.NotAuthor);
        Refused(MessageRules.Apply(tombstone, new MessageChange.Edit("back"), Alice, Later), ErrorCodes.MessageDeleted);
        Refused(MessageRules.Apply(tombstone, new MessageChange.React("👍", Add: true), Bob, Later), ErrorCodes.MessageDeleted);
        Refused(MessageRules.Apply(tombstone, new MessageChange.React("👍", Add: false), Bob, Later), ErrorCodes.MessageDeleted);
    }

    [Fact]
    public void ReactionsAreASetPerUserAndEmoji()
    {
        var once = Changed(MessageRules.Apply(Original, new MessageChange.React("👍", Add: true), Bob, Later));
        Assert.Equal(2, once.Version);
        Assert.Null(once.EditedAt);
        Assert.IsType<ChangeOutcome.Unchanged>(MessageRules.Apply(once, new MessageChange.React("👍", Add: true), Bob, Later));

        var removed = Changed(MessageRules.Apply(once, new MessageChange.React("👍", Add: false), Bob, Later));
        Assert.Equal(3, removed.Version);
        Assert.True(removed.Reactions.IsEmpty);
        Assert.IsType<ChangeOutcome.Unchanged>(MessageRules.Apply(removed, new MessageChange.React("👍", Add: false), Bob, Later));
    }

    [Fact]
    public void ATwentyFirstEmojiIsRefused()
    {
        var message = Original;
        for (var i = 0; i < ReactionSet.MaxDistinct; i++)
            message = Changed(MessageRules.Apply(message, new MessageChange.React(char.ConvertFromUtf32(0x1F600 + i), Add: true), Bob, Later));

        Refused(MessageRules.Apply(message, new MessageChange.React("🎉", Add: true), Bob, Later), ErrorCodes.TooManyReactions);
        Assert.IsType<ChangeOutcome.Changed>(MessageRules.Apply(message, new MessageChange.React(char.ConvertFromUtf32(0x1F600), Add: true), Alice, Later));
    }

    [Fact]
    public void EveryChangeIsOneVersionAndTheRevisionIsLeftToTheStore()
    {
        var message = Changed(MessageRules.Apply(Original, new MessageChange.React("👍", Add: true), Bob, Later));
        message = Changed(MessageRules.Apply(message, new MessageChange.React("🎉", Add: true), Alice, Later));
        message = Changed(MessageRules.Apply(message, new MessageChange.Edit("edited"), Alice, Later));

        Assert.Equal(4, message.Version);
        Assert.Equal(0, message.Revision);
        Assert.Equal(Original.Seq, message.Seq);
        Assert.Equal(Original.SentAt, message.SentAt);
        Assert.Equal(Original.Sender, message.Sender);
    }

    [Fact]
    public void AReplyNeedsAnExistingMessageATombstoneIncluded()
    {
        Assert.Null(MessageRules.CheckReplyTarget(42, Original));
        Assert.Equal(ErrorCodes.UnknownMessage, MessageRules.CheckReplyTarget(99, null)?.Code);
        var tombstone = Changed(MessageRules.Apply(Original, new MessageChange.Delete(), Alice, Later));
        Assert.Null(MessageRules.CheckReplyTarget(42, tombstone));
    }
}
