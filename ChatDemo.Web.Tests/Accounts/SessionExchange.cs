using System.Net.Http.Json;
using System.Text.Json;
using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.Accounts;

/// <summary><c>POST /api/sessions</c> with a provider token, as the page sends it.</summary>
public static class SessionExchange
{
    public static async Task<HttpResponseMessage> PostAsync(HttpClient http, string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sessions");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return await http.SendAsync(request);
    }

    /// <summary>Exchanges <paramref name="providerToken"/> and returns the member session; fails the test unless it is a 201.</summary>
    public static async Task<JsonElement> MemberSessionAsync(ChatApp app, string providerToken)
    {
        using var response = await PostAsync(app.Http, "Bearer " + providerToken);
        return await ProblemAssert.IsJsonAsync(response, 201);
    }

    /// <summary>The 401 a refused token gets; returns its problem after checking it names <paramref name="check"/>.</summary>
    public static async Task<JsonElement> RefusedAsync(ChatApp app, string authorization, string check)
    {
        using var response = await PostAsync(app.Http, authorization);
        var problem = await ProblemAssert.IsProblemAsync(response, 401);
        Assert.Equal(check, problem.GetProperty("check").GetString());
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        return problem;
    }

    public static TestSession AsTestSession(JsonElement session) =>
        new(session.Str("userId"), session.Str("name"), session.Str("token"));

    public static async Task<JsonElement> GuestSessionAsync(ChatApp app, string name, int status = 201)
    {
        using var response = await app.Http.PostAsJsonAsync("/api/sessions", new { name });
        return status == 201 ? await ProblemAssert.IsJsonAsync(response, 201) : await ProblemAssert.IsProblemAsync(response, status);
    }
}
