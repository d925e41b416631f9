using System.Reflection;
using ChatDemo.Web.Hosting;
using Microsoft.Extensions.Logging;

namespace ChatDemo.Web.Tests.Unit;

/// <summary>Every [LoggerMessage] event id of the app is unique and inside its area's range (<see cref="LogEventIds"/>).</summary>
public sealed class LogEventIdTests
{
    private static readonly List<(string Area, string Method, int Id)> Events = typeof(LogEventIds).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Select(m => (Type: t, Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>())))
        .Where(e => e.Attribute is not null)
        .Select(e => (e.Type.Namespace!["ChatDemo.Web.".Length..], $"{e.Type.Name}.{e.Method.Name}", e.Attribute!.EventId))
        .ToList();

    [Fact]
    public void TheAppHasLogEvents()
    {
        Assert.True(Events.Count > 20, $"only {Events.Count} [LoggerMessage] methods found");
    }

    [Fact]
    public void NoTwoLogEventsShareAnId()
    {
        var shared = Events.GroupBy(e => e.Id).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Method))}").ToList();

        Assert.True(shared.Count == 0, "Event ids used twice:\n" + string.Join("\n", shared));
    }

    [Fact]
    public void EveryLogEventIdIsInItsAreasRange()
    {
        var outside = Events
            .Where(e => !LogEventIds.Ranges.TryGetValue(e.Area, out var range) || e.Id < range.First || e.Id > range.Last)
            .Select(e => $"{e.Method} ({e.Area}): {e.Id}").ToList();

        Assert.True(outside.Count == 0, "Event ids outside their area's range:\n" + string.Join("\n", outside));
    }

    [Fact]
    public void TheRangesDoNotOverlap()
    {
        var ranges = LogEventIds.Ranges.Values.OrderBy(r => r.First).ToList();

        Assert.All(ranges.Zip(ranges.Skip(1)), pair => Assert.True(pair.First.Last < pair.Second.First, $"{pair.First} overlaps {pair.Second}"));
    }
}
