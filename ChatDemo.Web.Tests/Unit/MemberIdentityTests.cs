using System.Text.Json;
using ChatDemo.Web.Accounts;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;

namespace ChatDemo.Web.Tests.Unit;

public sealed class MemberIdentityTests
{
    private static JsonWebToken Token(object claims)
    {
        static string Part(object value) => System.Buffers.Text.Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(value));
        return new JsonWebToken($"{Part(new { alg = "RS256", typ = "JWT" })}.{Part(claims)}.c2ln");
    }

    [Fact]
    public void TheUserIdIsStableForIssuerAndSubjectAndHasAGuestIdsShape()
    {
        var id = MemberIdentity.UserId("https://id.example.com", "248289761001");
        Assert.Equal(id, MemberIdentity.UserId("https://id.example.com", "248289761001"));
        Assert.Matches("^u_[0-9a-f]{32}$", id);
        Assert.NotEqual(id, MemberIdentity.UserId("https://other.example.com", "248289761001"));
        Assert.NotEqual(id, MemberIdentity.UserId("https://id.example.com", "248289761002"));
        // The separator keeps (issuer, subject) pairs apart that would concatenate alike.
        Assert.NotEqual(MemberIdentity.UserId("https://a.example.com/x", "y"), MemberIdentity.UserId("https://a.example.com/", "xy"));
    }

    [Theory]
    [InlineData("""{"name":"Alice Liddell","preferred_username":"al","email":"a@example.com"}""", "Alice Liddell")]
    [InlineData("""{"preferred_username":"bob.builder","email":"b@example.com"}""", "bob.builder")]
    [InlineData("""{"email":"carol+chat@example.com"}""", "carol chat")]
    [InlineData("""{"name":"  ","preferred_username":"dave","email":"d@example.com"}""", "dave")]
    [InlineData("""{"name":"🙂🙂","email":"eve@example.com"}""", "eve")]
    [InlineData("""{"name":"Zoë <admin>  O'Brien"}""", "Zoë admin O'Brien")]
    [InlineData("""{"name":"abcdefghijklmnopqrstuvwxyz0123456789"}""", "abcdefghijklmnopqrstuvwxyz012345")]
    [InlineData("""{"name":"abcdefghijklmnopqrstuvwxyz01234 6789"}""", "abcdefghijklmnopqrstuvwxyz01234")]
    [InlineData("""{"name":"李小龙"}""", "李小龙")]
    [InlineData("""{"email":"@example.com"}""", "Member")]
    [InlineData("""{}""", "Member")]
    public void TheDisplayNameComesFromNameThenUsernameThenEmailMadeToFitTheRules(string claims, string expected)
    {
        var name = MemberIdentity.DisplayName(Token(JsonDocument.Parse(claims).RootElement));
        Assert.Equal(expected, name);
        Assert.True(ChatRules.TryNormalizeName(name, out var normalized, out var error), error);
        Assert.Equal(name, normalized);
    }

    [Fact]
    public void AnAdministratorHasTheConfiguredClaimValueAsAStringOrInAnArray()
    {
        var rule = new AdminRule("cognito:groups", "chat-admins");
        Assert.True(MemberIdentity.IsAdmin(Token(new Dictionary<string, object> { ["cognito:groups"] = new[] { "staff", "chat-admins" } }), rule));
        Assert.True(MemberIdentity.IsAdmin(Token(new Dictionary<string, object> { ["cognito:groups"] = "chat-admins" }), rule));
        Assert.False(MemberIdentity.IsAdmin(Token(new Dictionary<string, object> { ["cognito:groups"] = new[] { "staff" } }), rule));
        Assert.False(MemberIdentity.IsAdmin(Token(new Dictionary<string, object> { ["groups"] = "chat-admins" }), rule));
        Assert.False(MemberIdentity.IsAdmin(Token(new Dictionary<string, object> { ["cognito:groups"] = "chat-admins-2" }), rule));
        Assert.False(MemberIdentity.IsAdmin(Token(new Dictionary<string, object> { ["cognito:groups"] = "chat-admins" }), null));
    }
}
