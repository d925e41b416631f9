using ChatDemo.Web.Chat;

namespace ChatDemo.Web.Tests.Unit;

public sealed class ReactionSetTests
{
    private static readonly ChatUser Alice = new("u_a", "Alice");
    private static readonly ChatUser Bob = new("u_b", "Bob");

    [Fact]
    public void ReactionsKeepTheOrderOfFirstUseAndOfReacting()
    {
        var set = ReactionSet.Empty.With("👍", Alice).With("🎉", Bob).With("👍", Bob);

        Assert.Equal(["👍", "🎉"], set.Items.Select(r => r.Emoji));
        Assert.Equal([Alice, Bob], set.Items[0].Users);
        Assert.Equal(3, set.Total);
        Assert.True(set.Contains("👍", Bob.Id));
        Assert.False(set.Contains("🎉", Alice.Id));
    }

    [Fact]
    public void RemovingTheLastUserOfAnEmojiRemovesTheEmoji()
    {
        var set = ReactionSet.Empty.With("👍", Alice).With("🎉", Bob).Without("👍", Alice.Id);

        Assert.Equal(["🎉"], set.Items.Select(r => r.Emoji));
        Assert.Equal(ReactionSet.Empty, ReactionSet.Empty.With("👍", Alice).Without("👍", Alice.Id));
    }

    [Fact]
    public void SetsWithTheSameReactionsAreEqual()
    {
        Assert.Equal(ReactionSet.Empty.With("👍", Alice), ReactionSet.Empty.With("👍", Alice));
        Assert.NotEqual(ReactionSet.Empty.With("👍", Alice).With("👍", Bob), ReactionSet.Empty.With("👍", Bob).With("👍", Alice));
        Assert.Equal(ReactionSet.Empty, ReactionSet.From([new Reaction("👍", [])]));
    }

    [Fact]
    public void TwentyDistinctEmojiFillAMessageButMoreUsersMayJoinThem()
    {
        var set = ReactionSet.Empty;
        for (var i = 0; i < ReactionSet.MaxDistinct; i++) set = set.With(char.ConvertFromUtf32(0x1F600 + i), Alice);

        Assert.False(set.HasRoomFor("🎉"));
        Assert.True(set.HasRoomFor(char.ConvertFromUtf32(0x1F600)));
    }

    [Fact]
    public void TwoHundredReactionsInAllFillAMessage()
    {
        var set = ReactionSet.Empty;
        for (var i = 0; i < ReactionSet.MaxTotal; i++) set = set.With("👍", new ChatUser($"u_{i}", "U"));

        Assert.Equal(ReactionSet.MaxTotal, set.Total);
        Assert.False(set.HasRoomFor("👍"));
        Assert.False(set.HasRoomFor("🎉"));
    }
}
