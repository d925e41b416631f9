using System.Net.Http.Json;
using System.Text.Json;

namespace ChatDemo.Web.Tests.TestInfrastructure;

/// <summary>Checks protocol.md section 6: every error is application/problem+json with a useful detail.</summary>
public static class ProblemAssert
{
    public static async Task<JsonElement> IsProblemAsync(HttpResponseMessage response, int status) =>
        IsProblem((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(), status);

    /// <summary>An answer given as its parts (an API Gateway proxy result, say) is the expected problem.</summary>
    public static JsonElement IsProblem(int actualStatus, string? mediaType, string body, int status)
    {
        Assert.True(status == actualStatus, $"expected {status}, got {actualStatus}: {body}");
        Assert.Equal("application/problem+json", mediaType);
        return IsProblemBody(actualStatus, body, status);
    }

    /// <summary>The status and body of a problem, where no media type travels (an API Gateway WebSocket <c>$connect</c> answer).</summary>
    public static JsonElement IsProblemBody(int actualStatus, string body, int status)
    {
        Assert.True(status == actualStatus, $"expected {status}, got {actualStatus}: {body}");
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.True(problem.TryGetProperty("detail", out var detail) && !string.IsNullOrWhiteSpace(detail.GetString()),
            $"the problem has no useful detail: {body}");
        return problem;
    }

    public static async Task<JsonElement> IsJsonAsync(HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
