using ChatDemo.Web.Tests.TestInfrastructure;
using Xunit.Abstractions;

namespace ChatDemo.Web.Tests.Reliability;

[Collection(ReliabilityCollection.Name)]
public sealed class ChaosTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AbortedSocketsAndTwoRestartsLoseAndDuplicateNoMessage()
    {
        await using var app = await ChatApp.StartAsync();

        var report = await ChaosScenario.RunAsync(app, new ChaosSettings());

        output.WriteLine($"chaos: {report}");
        AssertExactlyOnce(report, expectedSent: 20 * 50, expectedRestarts: 2);
        Assert.True(report.Elapsed < TimeSpan.FromSeconds(60), $"the chaos run took {report.Elapsed}");
    }

    [Fact]
    [Trait("Category", "Soak")]
    public async Task LongerChaosWithMoreClientsAndRestartsLosesAndDuplicatesNoMessage()
    {
        await using var app = await ChatApp.StartAsync();
        var settings = new ChaosSettings { Clients = 40, Rooms = 5, MessagesPerClient = 200, Restarts = 6, Seed = 7, SettleTimeout = TimeSpan.FromSeconds(90) };

        var report = await ChaosScenario.RunAsync(app, settings);

        output.WriteLine($"chaos soak: {report}");
        AssertExactlyOnce(report, expectedSent: 40 * 200, expectedRestarts: 6);
    }

    private static void AssertExactlyOnce(ChaosReport report, int expectedSent, int expectedRestarts)
    {
        Assert.Empty(report.Violations);
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
    }
}
