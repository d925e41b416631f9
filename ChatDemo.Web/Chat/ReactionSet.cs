namespace ChatDemo.Web.Chat;

/// <summary>One emoji on a message and who reacted with it, in the order they did.</summary>
public sealed record Reaction(string Emoji, IReadOnlyList<ChatUser> Users)
{
    public bool Equals(Reaction? other) =>
        other is not null && Emoji == other.Emoji && Users.SequenceEqual(other.Users);

    public override int GetHashCode() => HashCode.Combine(Emoji, Users.Count);
}

/// <summary>
/// A message's reactions (protocol.md 10.1): one entry per distinct emoji, in the order each emoji
/// was first added; at most <see cref="MaxDistinct"/> emoji and <see cref="MaxTotal"/> reactions in
/// all, so that a message's whole state always fits one frame and one DynamoDB item. Immutable;
/// equal when the same users reacted with the same emoji in the same order.
/// </summary>
public sealed class ReactionSet : IEquatable<ReactionSet>
{
    public const int MaxDistinct = 20;
    public const int MaxTotal = 200;

    public static readonly ReactionSet Empty = new([]);

    private ReactionSet(IReadOnlyList<Reaction> items)
    {
        Items = items;
        Total = items.Sum(r => r.Users.Count);
    }

    public IReadOnlyList<Reaction> Items { get; }

    /// <summary>Reactions in all: users × emoji.</summary>
    public int Total { get; }

    public bool IsEmpty => Items.Count == 0;

    /// <summary>Rebuilds a stored set; entries without users are dropped.</summary>
    public static ReactionSet From(IEnumerable<Reaction> items)
    {
        var list = items.Where(r => r.Users.Count > 0).ToList();
        return list.Count == 0 ? Empty : new ReactionSet(list);
    }

    public bool Contains(string emoji, string userId) =>
        Items.Any(r => r.Emoji == emoji && r.Users.Any(u => u.Id == userId));

    /// <summary>Whether one more reaction with <paramref name="emoji"/> stays within the limits.</summary>
    public bool HasRoomFor(string emoji) =>
        Total < MaxTotal && (Items.Count < MaxDistinct || Items.Any(r => r.Emoji == emoji));

    /// <summary>The set with <paramref name="user"/>'s reaction added at the end of its emoji's users (or as a new emoji).</summary>
    public ReactionSet With(string emoji, ChatUser user)
    {
        var items = Items.ToList();
        var index = items.FindIndex(r => r.Emoji == emoji);
        if (index < 0) items.Add(new Reaction(emoji, [user]));
        else items[index] = items[index] with { Users = [.. items[index].Users, user] };
        return new ReactionSet(items);
    }

    /// <summary>The set without <paramref name="userId"/>'s reaction; an emoji nobody is left on disappears.</summary>
    public ReactionSet Without(string emoji, string userId) => From(Items.Select(r =>
        r.Emoji == emoji ? r with { Users = r.Users.Where(u => u.Id != userId).ToList() } : r));

    public bool Equals(ReactionSet? other) => other is not null && Items.SequenceEqual(other.Items);

    public override bool Equals(object? obj) => Equals(obj as ReactionSet);

    public override int GetHashCode() => HashCode.Combine(Items.Count, Total);
}
