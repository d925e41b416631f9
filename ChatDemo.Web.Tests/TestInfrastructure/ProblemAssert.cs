using System.Net.Http.Json;
using System.Text.Json;

namespace ChatDemo.Web.Tests.TestInfrastructure;

/// <summary>Checks protocol.md section 6: every error is application/problem+json with a useful detail.</summary>
public static class ProblemAssert
{
    public static async Task<JsonElement> IsProblemAsync(HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
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

/// <summary>One app shared by the tests of a class that each use their own room or session: isolated by name.</summary>
public sealed class SharedChatApp : IAsyncLifetime
{
    public ChatApp App { get; private set; } = null!;

    /// <summary>Settings for the shared app; history tests lift the send rate limit to fill rooms quickly.</summary>
    public IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?> { ["Chat:Limits:SendBurst"] = "10000" };

    public async Task InitializeAsync() => App = await ChatApp.StartAsync(Settings);

    public async Task DisposeAsync() => await App.DisposeAsync();
}

public static class Frames
{
    public static string Type(this JsonElement frame) => frame.GetProperty("type").GetString()!;

    public static string Str(this JsonElement frame, string property) => frame.GetProperty(property).GetString()!;

    /// <summary>A room name no other test uses.</summary>
    public static string NewRoom() => "r" + Guid.NewGuid().ToString("N");
}
