using System.Diagnostics;
using System.Text.Json;
using ChatDemo.Web.Observability;
using ChatDemo.Web.Tests.TestInfrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace ChatDemo.Web.Tests.Observability;

public class LoggingSetupTests
{
    [Fact]
    public async Task Production_writes_one_JSON_object_a_line_with_the_trace_and_span_ids()
    {
        var logs = new FormattedConsoleLogs();
        await using var app = Build("Production", logs);
        var logger = app.Services.GetRequiredService<ILogger<LoggingSetupTests>>();
        using var source = new ActivitySource("ChatDemo.Tests.Logging");
        using var listener = ListenTo(source);

        using (var activity = source.StartActivity("frame")!)
        {
            logger.LogInformation("Stored message {Seq} in room {Room}", 7, "lobby");

            var line = Assert.Single(logs.Lines, l => l.Contains("Stored message"));
            Assert.DoesNotContain('\n', line.TrimEnd('\r', '\n'));
            var json = JsonDocument.Parse(line).RootElement;
            Assert.Equal("Information", json.GetProperty("LogLevel").GetString());
            Assert.Equal("Stored message 7 in room lobby", json.GetProperty("Message").GetString());
            Assert.Equal("lobby", json.GetProperty("State").GetProperty("Room").GetString());
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", json.GetProperty("Timestamp").GetString());
            var scope = json.GetProperty("Scopes").EnumerateArray().Single(s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("TraceId", out _));
            Assert.Equal(activity.TraceId.ToHexString(), scope.GetProperty("TraceId").GetString());
            Assert.Equal(activity.SpanId.ToHexString(), scope.GetProperty("SpanId").GetString());
        }
    }

    [Fact]
    public async Task Development_keeps_the_readable_console()
    {
        var logs = new FormattedConsoleLogs();
        await using var app = Build("Development", logs);

        Assert.Equal(ConsoleFormatterNames.Simple, app.Services.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value.FormatterName ?? ConsoleFormatterNames.Simple);
        app.Services.GetRequiredService<ILogger<LoggingSetupTests>>().LogInformation("hello {Name}", "there");
        var line = Assert.Single(logs.Lines, l => l.Contains("hello there"));
        Assert.StartsWith("info: ", line);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(line));
    }

    private static WebApplication Build(string environment, FormattedConsoleLogs logs)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.AddChatLogging();
        logs.AddTo(builder.Services);
        return builder.Build();
    }

    private static ActivityListener ListenTo(ActivitySource source)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = s => s == source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
