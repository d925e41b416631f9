using System.Text;
using ChatDemo.Web.Rooms;

namespace ChatDemo.Web.Tests.Unit;

public sealed class InviteTokensTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("a signing key of at least thirty-two characters");
    private static readonly Invite Sample = new("i_0123456789abcdef", "team-a", new DateTimeOffset(2026, 12, 12, 10, 0, 0, 123, TimeSpan.Zero), 10);

    [Fact]
    public void AnInvitationReadsBackAsSigned()
    {
        var tokens = new InviteTokens(Key);

        Assert.Equal(Sample, tokens.Read(tokens.Sign(Sample)));
        Assert.Equal(Sample with { MaxUses = null }, tokens.Read(tokens.Sign(Sample with { MaxUses = null })));
        Assert.StartsWith("i1.", tokens.Sign(Sample));
    }

    [Fact]
    public void AnotherKeysInvitationIsRefused()
    {
        var token = new InviteTokens(Encoding.UTF8.GetBytes("another signing key of at least thirty-two chars")).Sign(Sample);

        Assert.Null(new InviteTokens(Key).Read(token));
    }

    [Fact]
    public void EveryAlteredCharacterIsRefused()
    {
        var tokens = new InviteTokens(Key);
        var token = tokens.Sign(Sample);

        var refused = 0;
        for (var i = 0; i < token.Length; i++)
        {
            var altered = token[..i] + (token[i] == 'A' ? 'B' : 'A') + token[(i + 1)..];
            // A base64url part's last character may carry unused bits: changing only those changes
            // no byte, and the token still stands for exactly the same invitation.
            var read = tokens.Read(altered);
            Assert.True(read is null || read == Sample, $"character {i} altered was read as {read}");
            if (read is null) refused++;
        }
        Assert.True(refused >= token.Length - 2, $"only {refused} of {token.Length} alterations were refused");
    }

    [Fact]
    public void AnAlteredPayloadWithTheOldSignatureIsRefused()
    {
        var tokens = new InviteTokens(Key);
        var token = tokens.Sign(Sample);
        var other = tokens.Sign(Sample with { Room = "team-b", MaxUses = 10_000 });

        var spliced = other[..other.LastIndexOf('.')] + token[token.LastIndexOf('.')..];

        Assert.Null(tokens.Read(spliced));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("i1.")]
    [InlineData("i1..")]
    [InlineData("v1.eyJ1IjoidV94In0.abc")]
    [InlineData("i1.%%%.###")]
    [InlineData("not a token")]
    public void MalformedTokensAreRefused(string? token)
    {
        Assert.Null(new InviteTokens(Key).Read(token));
    }

    [Fact]
    public void ASessionTokenSignedWithTheSameKeyIsNoInvitation()
    {
        var session = new ChatDemo.Web.Sessions.SessionTokens(new ChatDemo.Web.Sessions.SigningKey(Key), TimeProvider.System)
            .Issue(new ChatDemo.Web.Chat.ChatUser("u_x", "X"), DateTimeOffset.UtcNow.AddHours(1));

        Assert.Null(new InviteTokens(Key).Read("i1." + session[3..]));
    }

    [Fact]
    public void InvitationIdsAreRandom()
    {
        Assert.NotEqual(InviteTokens.NewId(), InviteTokens.NewId());
        Assert.Matches("^i_[0-9a-f]{32}$", InviteTokens.NewId());
    }
}
