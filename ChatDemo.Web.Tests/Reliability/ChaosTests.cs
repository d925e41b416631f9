using ChatDemo.Web.Tests.TestInfrastructure;
using Xunit.Abstractions;

namespace ChatDemo.Web.Tests.Reliability;

[Collection(ReliabilityCollection.Name)]
public sealed class ChaosTests(ITestOutputHelper output)
{
    /// <summary>
    /// The clients send (and change) faster than a person: 50 messages and about 30 changes each in
    /// some 5 s. The per-connection limit has its own tests (MessageFloodTests, LimitsTests); here
    /// it would only slow the run down with waits the clients must sit out.
    /// </summary>
    private static readonly Dictionary<string, string?> ChaosLimits = new()
    {
        ["Chat:Limits:SendBurst"] = "100",
        ["Chat:Limits:SendPerSecond"] = "100",
    };

    [Fact]
    public async Task AbortedSocketsAndTwoRestartsLoseAndDuplicateNoMessageAndNoChange()
    {
        await using var app = await ChatApp.StartAsync(ChaosLimits);

        var report = await ChaosScenario.RunAsync(app, new ChaosSettings());

        output.WriteLine($"chaos: {report}");
        AssertExactlyOnce(report, expectedSent: 20 * 50, expectedRestarts: 2);
        Assert.True(report.Elapsed < TimeSpan.FromSeconds(60), $"the chaos run took {report.Elapsed}");
    }

    [Fact]
    [Trait("Category", "Soak")]
    public async Task LongerChaosWithMoreClientsAndRestartsLosesAndDuplicatesNoMessage()
    {
        await using var app = await ChatApp.StartAsync(ChaosLimits);
        var settings = new ChaosSettings { Clients = 40, Rooms = 5, MessagesPerClient = 200, Restarts = 6, Seed = 7, SettleTimeout = TimeSpan.FromSeconds(90) };

        var report = await ChaosScenario.RunAsync(app, settings);

        output.WriteLine($"chaos soak: {report}");
        AssertExactlyOnce(report, expectedSent: 40 * 200, expectedRestarts: 6);
    }

    private static void AssertExactlyOnce(ChaosReport report, int expectedSent, int expectedRestarts)
    {
        // Every violation in full: xunit's collection formatting cuts each item short.
        Assert.True(report.Violations.Count == 0, string.Join("\n", report.Violations));
        Assert.Equal(expectedSent, report.Sent);
        Assert.Equal(expectedRestarts, report.Restarts);
        Assert.True(report.Aborts > 0, "the driver aborted no socket");
        Assert.Equal(expectedSent, report.Acked);
        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.Duplicated);
        Assert.Equal(0, report.Unexpected);
        Assert.Equal(expectedSent, report.Stored);
        Assert.Equal(0, report.AckMismatches);
        Assert.Equal(0, report.ViewMismatches);

        // protocol.md 10: replies, edits, deletes and reactions were all tried, every one answered,
        // none lost, each on its own revision; the watchers that were away caught changes up by changedSince.
        var changes = report.Changes;
        Assert.True(changes is { Replies: > 0, Edits: > 0, Deletes: > 0, Reactions: > 0 }, $"a kind of change was never tried: {changes}");
        Assert.Equal(changes.Edits + changes.Deletes + changes.Reactions, changes.Answered);
        Assert.Equal(0, changes.ChangesLost);
        Assert.Equal(0, changes.RevisionsReused);
        Assert.True(changes.ObserverStatesFromChangedSince > 0, $"no offline watcher needed changedSince: {changes}");
    }
}
