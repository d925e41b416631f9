using ChatDemo.Web.Chat;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace ChatDemo.Web.Tests.Unit;

public sealed class RoomLocksTests
{
    private readonly FakeLogger<RoomLocks> _logger = new();

    private RoomLocks Locks(TimeSpan slowWait) => new(_logger, slowWait);

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

        var record = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Id.Id == 10);
        Assert.Equal(LogLevel.Warning, record.Level);
        Assert.Contains("room lobby's lock, held by SendMessageAsync", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AQuickWaitIsNotLogged()
    {
        var locks = Locks(TimeSpan.FromSeconds(5));
        var held = await locks.EnterAsync("lobby", default);
        var waiting = locks.EnterAsync("lobby", default).AsTask();
        held.Dispose();
        (await waiting.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();

        Assert.DoesNotContain(_logger.Collector.GetSnapshot(), r => r.Id.Id == 10);
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
