using System.Text;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Sessions;
using Microsoft.Extensions.Time.Testing;

namespace ChatDemo.Web.Tests.Unit;

public sealed class SessionTokensTests
{
    private static readonly SigningKey Key = new(Encoding.UTF8.GetBytes("unit-test-signing-key-0123456789abcdef"));
    private static readonly ChatUser Alice = new("u_alice", "Alice");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));

    private string IssueForADay(SessionTokens tokens) => tokens.Issue(Alice, _time.GetUtcNow().AddHours(24));

    /// <summary>A token with exactly this payload, signed with the test key as the format prescribes.</summary>
    private static string SignedByHand(string payloadJson)
    {
        var payload = System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payloadJson));
        var signature = System.Security.Cryptography.HMACSHA256.HashData(Key.Bytes, Encoding.UTF8.GetBytes("v1." + payload));
        return $"v1.{payload}.{System.Buffers.Text.Base64Url.EncodeToString(signature)}";
    }

    [Fact]
    public void AnIssuedTokenVerifiesToItsUserUntilItExpires()
    {
        var tokens = new SessionTokens(Key, _time);
        var token = IssueForADay(tokens);

        var session = tokens.Verify(token);
        Assert.NotNull(session);
        Assert.Equal(Alice, session.User);

        _time.Advance(TimeSpan.FromHours(24) - TimeSpan.FromMilliseconds(1));
        Assert.NotNull(tokens.Verify(token));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(tokens.Verify(token));
    }

    [Fact]
    public void ATokenSignedWithAnotherKeyIsRejected()
    {
        var forger = new SessionTokens(new SigningKey(Encoding.UTF8.GetBytes("another-key-that-is-long-enough-000000")), _time);
        Assert.Null(new SessionTokens(Key, _time).Verify(IssueForADay(forger)));
    }

    [Fact]
    public void AnyAlteredCharacterOfATokenIsRejected()
    {
        var tokens = new SessionTokens(Key, _time);
        var token = IssueForADay(tokens);
        for (var i = 0; i < token.Length; i++)
        {
            var altered = token.ToCharArray();
            altered[i] = altered[i] == 'A' ? 'B' : 'A';
            Assert.Null(tokens.Verify(new string(altered)));
        }
    }

    [Fact]
    public void APayloadFromOneTokenWithTheSignatureOfAnotherIsRejected()
    {
        var tokens = new SessionTokens(Key, _time);
        var alice = IssueForADay(tokens);
        var mallory = tokens.Issue(new ChatUser("u_mallory", "Mallory"), _time.GetUtcNow().AddHours(24));
        var spliced = mallory[..mallory.LastIndexOf('.')] + alice[alice.LastIndexOf('.')..];
        Assert.Null(tokens.Verify(spliced));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("v1.")]
    [InlineData("v1..")]
    [InlineData("v1.e30.AAAA")]
    [InlineData("not-a-token")]
    [InlineData("v2.eyJ1IjoidV94In0.c2ln")]
    [InlineData("v1.!!!.###")]
    public void MalformedTokensAreRejected(string? token) => Assert.Null(new SessionTokens(Key, _time).Verify(token));

    [Fact]
    public void AnOverlongTokenIsRejected() =>
        Assert.Null(new SessionTokens(Key, _time).Verify("v1." + new string('A', 5000) + ".AAAA"));

    [Fact]
    public void AGuestTokenHasExactlyThePayloadOfBeforeMembersExisted()
    {
        var token = IssueForADay(new SessionTokens(Key, _time));
        var payload = Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[1]));
        Assert.Equal($"{{\"u\":\"u_alice\",\"n\":\"Alice\",\"e\":{_time.GetUtcNow().AddHours(24).ToUnixTimeMilliseconds()}}}", payload);
    }

    [Fact]
    public void ATokenIssuedBeforeMembersExistedVerifiesAsAGuestWhoIsNoAdmin()
    {
        // Signed by hand the way tokens were signed before the kind and admin fields existed.
        var expires = _time.GetUtcNow().AddHours(24).ToUnixTimeMilliseconds();
        var session = new SessionTokens(Key, _time).Verify(SignedByHand($"{{\"u\":\"u_old\",\"n\":\"Old\",\"e\":{expires}}}"));

        Assert.NotNull(session);
        Assert.Equal(new ChatUser("u_old", "Old"), session.User);
        Assert.Equal(SessionKind.Guest, session.Kind);
        Assert.False(session.Admin);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AMemberTokenCarriesItsKindAndAdminFlag(bool admin)
    {
        var tokens = new SessionTokens(Key, _time);
        var session = tokens.Verify(tokens.Issue(Alice, _time.GetUtcNow().AddHours(24), SessionKind.Member, admin));
        Assert.NotNull(session);
        Assert.Equal(Alice, session.User);
        Assert.Equal(SessionKind.Member, session.Kind);
        Assert.Equal(admin, session.Admin);
    }

    [Fact]
    public void ATokenWithAnUnknownKindIsRejectedEvenWhenSigned()
    {
        var expires = _time.GetUtcNow().AddHours(24).ToUnixTimeMilliseconds();
        Assert.Null(new SessionTokens(Key, _time).Verify(SignedByHand($"{{\"u\":\"u_x\",\"n\":\"X\",\"e\":{expires},\"k\":\"root\"}}")));
    }

    [Fact]
    public void WithGuestsDisabledAGuestTokenNoLongerVerifiesButAMemberTokenDoes()
    {
        var issuer = new SessionTokens(Key, _time);
        var guest = IssueForADay(issuer);
        var member = issuer.Issue(Alice, _time.GetUtcNow().AddHours(24), SessionKind.Member);

        var membersOnly = new SessionTokens(Key, _time, acceptGuests: false);
        Assert.Null(membersOnly.Verify(guest));
        Assert.Equal(SessionKind.Member, membersOnly.Verify(member)?.Kind);
    }
}
