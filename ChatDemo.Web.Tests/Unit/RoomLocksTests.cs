using ChatDemo.Web.Chat;
using ChatDemo.Web.Tests.TestInfrastructure;
using Microsoft.Extensions.Logging;

namespace ChatDemo.Web.Tests.Unit;

public sealed class RoomLocksTests
{
    private readonly CapturedLogs _logs = new();

    private RoomLocks Locks(TimeSpan slowWait) => new(new LoggerFactory([_logs]).CreateLogger<RoomLocks>(), slowWait);

    [Fact]
    public async Task ASecondEntrantWaitsUntilTheFirstLeaves()
    {
        var locks = Locks(TimeSpan.FromSeconds(5));
        var first = await locks.EnterAsync("lobby", default);

        var second = locks.EnterAsync("lobby", default).AsTask();
        await Task.Delay(100);
        Assert.False(second.IsCompleted);

        first.Dispose();
        (await second.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Fact]
    public async Task AWaitPastTheThresholdIsLoggedWithTheHolderAndStillGetsTheLock()
    {
        var locks = Locks(TimeSpan.FromMilliseconds(100));
        var held = await locks.EnterAsync("lobby", default, operation: "SendMessageAsync");

        var waiting = locks.EnterAsync("lobby", default).AsTask();
        await Task.Delay(400);
        held.Dispose();
        (await waiting.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();

        var line = Assert.Single(_logs.Lines, l => l.Contains("[10]", StringComparison.Ordinal));
        Assert.StartsWith("Warning", line, StringComparison.Ordinal);
        Assert.Contains("room lobby's lock, held by SendMessageAsync", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AQuickWaitIsNotLogged()
    {
        var locks = Locks(TimeSpan.FromSeconds(5));
        var held = await locks.EnterAsync("lobby", default);
        var waiting = locks.EnterAsync("lobby", default).AsTask();
        held.Dispose();
        (await waiting.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();

        Assert.DoesNotContain(_logs.Lines, l => l.Contains("[10]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AWaiterWhoseConnectionGoesAwayStopsWaiting()
    {
        var locks = Locks(TimeSpan.FromMilliseconds(50));
        using var held = await locks.EnterAsync("lobby", default);
        using var gone = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await locks.EnterAsync("lobby", gone.Token));
    }
}
