using System.Net.Http.Json;
using System.Text;
using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.Kestrel;

public sealed class SessionsApiTests(SharedChatApp shared) : IClassFixture<SharedChatApp>
{
    private ChatApp App => shared.App;

    private Task<HttpResponseMessage> PostRawAsync(string body, string contentType = "application/json") =>
        App.Http.PostAsync("/api/sessions", new StringContent(body, Encoding.UTF8, contentType));

    [Fact]
    public async Task CreatingASessionReturnsAUserIdTheTrimmedNameAndATokenLastingADay()
    {
        var before = DateTimeOffset.UtcNow;
        using var response = await App.Http.PostAsJsonAsync("/api/sessions", new { name = "  Alice  " });
        var session = await ProblemAssert.IsJsonAsync(response, 201);

        Assert.StartsWith("u_", session.Str("userId"));
        Assert.Equal("Alice", session.Str("name"));
        Assert.False(string.IsNullOrWhiteSpace(session.Str("token")));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", session.Str("expiresAt"));
        Assert.True(DateTimeOffset.Parse(session.Str("expiresAt"), System.Globalization.CultureInfo.InvariantCulture) >= before.AddHours(24),
            "a session lasts at least 24 hours");
    }

    [Theory]
    [InlineData("Zoë", "Zoë")]
    [InlineData("李小龙", "李小龙")]
    [InlineData("Jean-Luc O'Brien_2.0", "Jean-Luc O'Brien_2.0")]
    [InlineData("\u00A0Bob\u3000", "Bob")]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345", "abcdefghijklmnopqrstuvwxyz012345")]
    public async Task ValidNamesAreAcceptedAndStoredTrimmed(string name, string stored)
    {
        using var response = await App.Http.PostAsJsonAsync("/api/sessions", new { name });
        Assert.Equal(stored, (await ProblemAssert.IsJsonAsync(response, 201)).Str("name"));
    }

    [Fact]
    public async Task ANameOf32AstralLettersIsAcceptedBecauseLengthCountsCodePoints()
    {
        var name = string.Concat(Enumerable.Repeat(char.ConvertFromUtf32(0x1D400), 32));
        using var response = await App.Http.PostAsJsonAsync("/api/sessions", new { name });
        Assert.Equal(name, (await ProblemAssert.IsJsonAsync(response, 201)).Str("name"));
    }

    [Fact]
    public async Task TwoGuestsMayPickTheSameNameAndGetDifferentUserIds()
    {
        var first = await App.CreateSessionAsync("Sam");
        var second = await App.CreateSessionAsync("Sam");
        Assert.Equal(first.Name, second.Name);
        Assert.NotEqual(first.UserId, second.UserId);
    }

    [Theory]
    [InlineData("{\"name\":\"\"}")]
    [InlineData("{\"name\":\"   \"}")]
    [InlineData("{\"name\":\"abcdefghijklmnopqrstuvwxyz0123456\"}")]
    [InlineData("{\"name\":\"Alice\\n\"}")]
    [InlineData("{\"name\":\"Ali\\r\\nce\"}")]
    [InlineData("{\"name\":\"\\tAlice\"}")]
    [InlineData("{\"name\":\"Al\\u0000ice\"}")]
    [InlineData("{\"name\":\"Alice\\u0007\"}")]
    [InlineData("{\"name\":\"Alice\\u007f\"}")]
    [InlineData("{\"name\":\"Alice \\ud83d\\ude00\"}")]
    [InlineData("{\"name\":\"<b>Alice</b>\"}")]
    [InlineData("{\"name\":\"alice@example.com\"}")]
    [InlineData("{\"name\":\"Al\\u200bice\"}")]
    [InlineData("{\"name\":\"\\ud800\"}")]
    [InlineData("{\"name\":42}")]
    [InlineData("{\"name\":null}")]
    [InlineData("{\"name\":[\"Alice\"]}")]
    [InlineData("{\"name\":{\"first\":\"Alice\"}}")]
    [InlineData("{}")]
    [InlineData("{\"nick\":\"Alice\"}")]
    [InlineData("[{\"name\":\"Alice\"}]")]
    [InlineData("\"Alice\"")]
    [InlineData("null")]
    public async Task AnInvalidNameIsABadRequestProblem(string body)
    {
        using var response = await PostRawAsync(body);
        await ProblemAssert.IsProblemAsync(response, 400);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"name\":")]
    [InlineData("{\"name\":\"Alice\",}")]
    [InlineData("{'name':'Alice'}")]
    public async Task MalformedJsonIsABadRequestProblem(string body)
    {
        using var response = await PostRawAsync(body);
        await ProblemAssert.IsProblemAsync(response, 400);
    }

    [Fact]
    public async Task InvalidUtf8IsABadRequestProblem()
    {
        var content = new ByteArrayContent([0x7B, 0x22, 0x6E, 0x61, 0x6D, 0x65, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D]);
        content.Headers.ContentType = new("application/json");
        using var response = await App.Http.PostAsync("/api/sessions", content);
        await ProblemAssert.IsProblemAsync(response, 400);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/xml")]
    public async Task AnotherContentTypeIsAnUnsupportedMediaTypeProblem(string contentType)
    {
        using var response = await PostRawAsync("{\"name\":\"Alice\"}", contentType);
        await ProblemAssert.IsProblemAsync(response, 415);
    }

    [Fact]
    public async Task NoContentTypeIsAnUnsupportedMediaTypeProblem()
    {
        using var response = await App.Http.PostAsync("/api/sessions", new ByteArrayContent(Encoding.UTF8.GetBytes("{\"name\":\"Alice\"}")));
        await ProblemAssert.IsProblemAsync(response, 415);
    }

    [Fact]
    public async Task AOneMegabyteBodyIsAPayloadTooLargeProblem()
    {
        using var response = await PostRawAsync("{\"name\":\"" + new string('a', 1024 * 1024) + "\"}");
        await ProblemAssert.IsProblemAsync(response, 413);
    }

    [Fact]
    public async Task AOneMegabyteChunkedBodyIsAPayloadTooLargeProblem()
    {
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"name\":\"" + new string('a', 1024 * 1024) + "\"}")));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sessions") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await App.Http.SendAsync(request);
        await ProblemAssert.IsProblemAsync(response, 413);
    }

    [Fact]
    public async Task UnknownPropertiesBesideTheNameAreIgnored()
    {
        using var response = await PostRawAsync("{\"name\":\"Alice\",\"userId\":\"u_admin\",\"admin\":true}");
        var session = await ProblemAssert.IsJsonAsync(response, 201);
        Assert.NotEqual("u_admin", session.Str("userId"));
    }

    [Fact]
    public async Task TheProviderTokenExchangeIgnoresItsBodyWhateverItsContentType()
    {
        // protocol.md 1.1: with Authorization the request needs no body, and one is ignored;
        // this server has no provider, so the exchange answers its own 401, never a 415.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sessions")
        {
            Content = new StringContent("hello", Encoding.UTF8, "text/plain"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln");
        using var response = await App.Http.SendAsync(request);
        Assert.Equal("not_configured", (await ProblemAssert.IsProblemAsync(response, 401)).Str("check"));
    }
}
