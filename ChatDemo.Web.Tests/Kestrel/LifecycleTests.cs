using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using Xunit.Abstractions;
using System.Text.Json;
using ChatDemo.Web.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace ChatDemo.Web.Tests.Kestrel;

/// <summary>Restart, graceful shutdown, health, configuration, the API description and what reaches the logs.</summary>
public sealed class LifecycleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ARestartKeepsHistoryAndSeqContinues()
    {
        await using var app = await ChatApp.StartAsync();
        var alice = await app.CreateSessionAsync("Alice");
        await using (var socket = await app.ConnectAsync(alice))
        {
            for (var i = 1; i <= 3; i++)
            {
                await socket.SendMessageAsync($"c-{i}", $"before {i}");
                await socket.WaitForAsync("ack");
            }
        }

        await app.RestartAsync();

        var history = await app.GetJsonAsync("/api/rooms/lobby/messages");
        Assert.Equal(["c-1", "c-2", "c-3"], history.GetProperty("messages").EnumerateArray().Select(m => m.Str("clientMessageId")));
        await using var again = await app.ConnectAsync(alice);
        await again.SendMessageAsync("c-4", "after");
        Assert.Equal(4, (await again.WaitForAsync("ack")).GetProperty("seq").GetInt64());
        // The session survives the restart, and so does idempotency.
        await again.SendMessageAsync("c-2", "before 2");
        var duplicate = await again.WaitForAsync("ack");
        Assert.True(duplicate.GetProperty("duplicate").GetBoolean());
        Assert.Equal(2, duplicate.GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task ShutdownClosesEverySocketWith1001WithinTenSecondsAndLosesNothingAcked()
    {
        await using var app = await ChatApp.StartAsync(new Dictionary<string, string?> { ["Chat:Limits:SendBurst"] = "100000" });
        var (_, alice) = await app.JoinAsync("Alice");
        await using var _ = alice;
        var (_, bob) = await app.JoinAsync("Bob");
        await using var __ = bob;
        await alice.SendMessageAsync("warm-up", "hello");
        await alice.WaitForAsync("ack");

        // Alice keeps sending while the server stops; whatever was acked must survive.
        var sending = Task.Run(async () =>
        {
            for (var i = 0; !alice.Closed.IsCompleted; i++)
            {
                try
                {
                    await alice.SendMessageAsync($"s-{i}", $"during shutdown {i}");
                }
                catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
                {
                    return;
                }
                await Task.Delay(2);
            }
        });
        await alice.WaitForAsync("ack", a => a.Str("clientMessageId") == "s-20", TimeSpan.FromSeconds(30));

        var stopping = Stopwatch.StartNew();
        await app.StopAsync();
        stopping.Stop();
        await sending;

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await alice.WaitForCloseAsync());
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await bob.WaitForCloseAsync());
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {stopping.Elapsed}");

        var acked = (await alice.CollectAsync(TimeSpan.FromSeconds(5))).Where(f => f.Type() == "ack").Select(f => f.Str("clientMessageId")).ToList();
        Assert.NotEmpty(acked);
        output.WriteLine($"stopped in {stopping.Elapsed.TotalSeconds:F2} s with {acked.Count} acks on the way");
        await app.RestartAsync();
        var stored = new HashSet<string>();
        long after = 0;
        JsonElement page;
        do
        {
            page = await app.GetJsonAsync($"/api/rooms/lobby/messages?after={after}&limit=100");
            foreach (var m in page.GetProperty("messages").EnumerateArray())
            {
                stored.Add(m.Str("clientMessageId"));
                after = m.GetProperty("seq").GetInt64();
            }
        } while (page.GetProperty("hasMore").GetBoolean());
        Assert.All(acked, id => Assert.Contains(id, stored));
    }

    [Fact]
    public async Task WhenTheAppIsAskedToStopOpenSocketsCloseWith1001()
    {
        await using var app = await ChatApp.StartAsync();
        var session = await app.CreateSessionAsync();
        var lifetime = app.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>();
        await using var open = await app.ConnectAsync(session);
        lifetime.StopApplication();
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await open.WaitForCloseAsync());
    }

    [Fact]
    public async Task HealthIsOkWhileTheStoreAnswers()
    {
        await using var app = await ChatApp.StartAsync();
        using var response = await app.Http.GetAsync("/health");
        Assert.Equal("healthy", (await ProblemAssert.IsJsonAsync(response, 200)).Str("status"));
        foreach (var probe in new[] { "/health/live", "/health/ready" })
        {
            using var answer = await app.Http.GetAsync(probe);
            Assert.Equal(System.Net.HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal("Healthy", await answer.Content.ReadAsStringAsync());
        }
    }

    /// <summary>Liveness says the process answers, readiness that the store does: only the second fails with the store.</summary>
    private static async Task AssertLiveButNotReadyAsync(ChatApp app)
    {
        using var live = await app.Http.GetAsync("/health/live");
        Assert.Equal(System.Net.HttpStatusCode.OK, live.StatusCode);
        using var ready = await app.Http.GetAsync("/health/ready");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HealthIs503ProblemWhenTheStoreFails()
    {
        await using var app = await ChatApp.StartAsync();
        if (app.UsesDynamoDb)
        {
            // The app's tables are deleted behind its back: every read of them now fails.
            using var dynamo = await Dynalite.CreateClientAsync();
            await dynamo.DeleteTableAsync(app.Setting("Chat:DynamoDb:MessagesTable"));
            await dynamo.DeleteTableAsync(app.Setting("Chat:DynamoDb:ConnectionsTable"));
            using var response = await app.Http.GetAsync("/health");
            await ProblemAssert.IsProblemAsync(response, 503);
            await AssertLiveButNotReadyAsync(app);
            return;
        }

        // The SQLite database's folder is replaced by a plain file, so it cannot be opened.
        Directory.Delete(app.DataFolder, recursive: true);
        await File.WriteAllTextAsync(app.DataFolder, "not a folder");
        try
        {
            using var response = await app.Http.GetAsync("/health");
            await ProblemAssert.IsProblemAsync(response, 503);
            await AssertLiveButNotReadyAsync(app);
        }
        finally
        {
            File.Delete(app.DataFolder);
        }
    }

    [Fact]
    public async Task ConfigGivesTheSameOriginWebSocketUrlAndProtocolVersion()
    {
        await using var app = await ChatApp.StartAsync();
        using var response = await app.Http.GetAsync("/api/config");
        var config = await ProblemAssert.IsJsonAsync(response, 200);
        Assert.Equal($"ws://127.0.0.1:{app.BaseUri.Port}/ws", config.Str("webSocketUrl"));
        Assert.Equal(1, config.GetProperty("protocolVersion").GetInt32());
        Assert.Equal(101, await ChatSocket.TryConnectAsync(new Uri(config.Str("webSocketUrl") + "?room=lobby&token=" +
            Uri.EscapeDataString((await app.CreateSessionAsync()).Token))));
    }

    [Fact]
    public async Task ConfigGivesTheConfiguredWebSocketUrl()
    {
        await using var app = await ChatApp.StartAsync(new Dictionary<string, string?> { ["Chat:WebSocketUrl"] = "wss://abc.execute-api.eu-west-1.amazonaws.com/prod" });
        var config = await app.GetJsonAsync("/api/config");
        Assert.Equal("wss://abc.execute-api.eu-west-1.amazonaws.com/prod", config.Str("webSocketUrl"));
    }

    [Fact]
    public async Task AnUnknownPathIsANotFoundProblem()
    {
        await using var app = await ChatApp.StartAsync();
        using var response = await app.Http.GetAsync("/api/nothing-here");
        await ProblemAssert.IsProblemAsync(response, 404);
        using var wrongMethod = await app.Http.DeleteAsync("/api/sessions");
        await ProblemAssert.IsProblemAsync(wrongMethod, 405);
    }

    [Fact]
    public async Task SwaggerUiAnswersAtSwagger()
    {
        await using var app = await ChatApp.StartAsync();
        using var response = await app.Http.GetAsync("/swagger");
        Assert.True(response.IsSuccessStatusCode, $"/swagger answered {(int)response.StatusCode}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("swagger", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesEveryEndpointWithSummariesParametersAndProblems()
    {
        await using var app = await ChatApp.StartAsync();
        var document = await app.GetJsonAsync("/swagger/v1/swagger.json");
        var paths = document.GetProperty("paths");

        var operations = new[]
        {
            ("/api/sessions", "post"), ("/api/rooms/{room}/messages", "get"), ("/api/rooms/{room}/presence", "get"),
            ("/api/config", "get"), ("/health", "get"),
        };
        foreach (var (path, method) in operations)
        {
            var operation = paths.GetProperty(path).GetProperty(method);
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), $"{method} {path} has no summary");
        }

        var history = paths.GetProperty("/api/rooms/{room}/messages").GetProperty("get");
        var parameters = history.GetProperty("parameters").EnumerateArray().ToDictionary(p => p.Str("name"));
        foreach (var name in new[] { "room", "after", "before", "limit" })
        {
            Assert.True(parameters.TryGetValue(name, out var parameter), $"history has no '{name}' parameter");
            Assert.False(string.IsNullOrWhiteSpace(parameter.TryGetProperty("description", out var d) ? d.GetString() : null),
                $"history parameter '{name}' has no description");
        }
        Assert.Equal("path", parameters["room"].Str("in"));
        Assert.All(new[] { "after", "before", "limit" }, name => Assert.Equal("query", parameters[name].Str("in")));

        AssertProblemResponse(history, "400");
        AssertProblemResponse(paths.GetProperty("/api/rooms/{room}/presence").GetProperty("get"), "400");
        var sessions = paths.GetProperty("/api/sessions").GetProperty("post");
        Assert.True(sessions.GetProperty("responses").TryGetProperty("201", out _));
        Assert.True(sessions.TryGetProperty("requestBody", out _), "POST /api/sessions does not describe its body");
        foreach (var status in new[] { "400", "413", "415" }) AssertProblemResponse(sessions, status);
        AssertProblemResponse(paths.GetProperty("/health").GetProperty("get"), "503");

        // The REST API is rate-limited per client address; /health is not (load balancers poll it).
        foreach (var (path, method) in operations.Where(o => o.Item1 != "/health"))
            AssertProblemResponse(paths.GetProperty(path).GetProperty(method), "429");
        Assert.False(paths.GetProperty("/health").GetProperty("get").GetProperty("responses").TryGetProperty("429", out _));
    }

    private static void AssertProblemResponse(JsonElement operation, string status)
    {
        Assert.True(operation.GetProperty("responses").TryGetProperty(status, out var response), $"no {status} response");
        Assert.True(response.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{status} is not described as problem+json");
    }

    [Theory]
    [InlineData("Chat__MessageRetentionDays", "0", "Chat__MessageRetentionDays")]
    [InlineData("Chat__MessageRetentionDays", "3651", "Chat__MessageRetentionDays")]
    [InlineData("Chat__MessageRetentionDays", "thirty", "MessageRetentionDays")]
    [InlineData("Chat__Store", "Foo", "Chat__Store")]
    [InlineData("Chat__FanOut", "Pigeon", "Chat__FanOut")]
    [InlineData("Chat__Sessions__SigningKey", "too-short", "Chat__Sessions__SigningKey")]
    [InlineData("Chat__AllowedOrigins", "chat.example.com", "Chat__AllowedOrigins")]
    [InlineData("Chat__ForwardedHeaders__KnownProxies", "nginx.internal", "Chat__ForwardedHeaders__KnownProxies")]
    [InlineData("Chat__RateLimits__SessionsPerMinute", "0", "Chat__RateLimits__SessionsPerMinute")]
    [InlineData("Chat__WebSocketUrl", "http://example.com/ws", "Chat__WebSocketUrl")]
    [InlineData("Chat__Limits__SendBurst", "0", "Chat__Limits__SendBurst")]
    public async Task ABadSettingStopsTheAppWithAMessageNamingIt(string variable, string value, string named)
    {
        var (exitCode, output) = await ChatApp.RunProcessUntilExitAsync(new Dictionary<string, string> { [variable] = value }, TimeSpan.FromSeconds(90));
        Assert.NotEqual(0, exitCode);
        Assert.True(output.Contains(named, StringComparison.Ordinal), output);
    }

    [Fact]
    public async Task NoTokenEverReachesTheLogs()
    {
        var logs = new FakeLogCollector();
        await using var app = await ChatApp.StartLoggingAsync(logs, LogLevel.Trace);

        var alice = await app.CreateSessionAsync("Alice");
        var tokens = new List<string> { alice.Token };
        await using (var socket = await app.ConnectAsync(alice))
        {
            await socket.SendMessageAsync("c-1", "hello");
            await socket.WaitForAsync("ack");
            await socket.SendTextAsync("{\"action\":\"sendMessage\",\"token\":\"" + alice.Token + "\"}");
            await socket.WaitForAsync("error");
        }
        var forged = alice.Token[..^3] + "AAA";
        tokens.Add(forged);
        using (var refused = await app.SendUpgradeRequestAsync("lobby", forged)) Assert.Equal(401, (int)refused.StatusCode);
        using (var badOrigin = await app.SendUpgradeRequestAsync("lobby", alice.Token, "https://evil.example.com")) Assert.Equal(403, (int)badOrigin.StatusCode);
        using (var plain = await app.Http.GetAsync($"/ws?room=lobby&token={Uri.EscapeDataString(alice.Token)}")) Assert.Equal(400, (int)plain.StatusCode);
        await Poll.WaitUntilAsync(async () => (await app.GetJsonAsync("/api/rooms/lobby/presence")).GetProperty("users").GetArrayLength() == 0,
            "Alice has left");

        var lines = logs.GetSnapshot().Select(r => r.Everything()).ToList();
        Assert.Contains(lines, line => line.Contains("joined room", StringComparison.Ordinal)); // the capture works
        var signatures = tokens.Select(t => t[(t.LastIndexOf('.') + 1)..]).ToList();
        foreach (var line in lines)
        {
            foreach (var secret in tokens.Concat(signatures).Concat(tokens.Select(Uri.EscapeDataString)))
                Assert.False(line.Contains(secret, StringComparison.Ordinal), $"a token reached the logs: {line}");
        }
    }
}
