using ChatDemo.Web.Chat;
using ChatDemo.Web.Configuration;
using Microsoft.Extensions.Options;

namespace ChatDemo.Web.Storage.Sqlite;

/// <summary>
/// Deletes expired messages every hour (Kestrel mode). On AWS, DynamoDB's TTL does this and no
/// background work may run between Lambda invocations.
/// </summary>
internal sealed class RetentionSweeper(
    IMessageRetention retention,
    TimeProvider time,
    IOptions<ChatOptions> options,
    ILogger<RetentionSweeper> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                var deleted = await retention.DeleteExpiredMessagesAsync(time.GetUtcNow(), stoppingToken);
                if (deleted > 0) RetentionLog.Swept(logger, deleted, options.Value.MessageRetentionDays);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                RetentionLog.SweepFailed(logger, e);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

internal static partial class RetentionLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Retention sweep deleted {Count} messages older than {Days} days")]
    public static partial void Swept(ILogger logger, int count, int days);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Retention sweep failed; it runs again in an hour")]
    public static partial void SweepFailed(ILogger logger, Exception exception);
}

/// <summary>A store that deletes expired messages itself when asked (SQLite; DynamoDB uses TTL).</summary>
public interface IMessageRetention
{
    /// <summary>Deletes messages whose <see cref="NewMessage.ExpiresAt"/> is before <paramref name="now"/>; returns how many.</summary>
    Task<int> DeleteExpiredMessagesAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
