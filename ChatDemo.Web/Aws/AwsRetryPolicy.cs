namespace ChatDemo.Web.Aws;

/// <summary>
/// Bounded retries with exponential backoff and jitter for throttling and server errors. The
/// bound keeps a Lambda invocation short: at most <see cref="MaxAttempts"/> attempts, a little over
/// three seconds of waiting in all.
/// </summary>
public sealed class AwsRetryPolicy(TimeProvider time)
{
    public const int MaxAttempts = 6;

    private static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(2);

    /// <summary>Waits before attempt <paramref name="nextAttempt"/> (2, 3, …): half the exponential step plus a random half, so that throttled callers spread out.</summary>
    public Task DelayAsync(int nextAttempt, CancellationToken cancellationToken)
    {
        var step = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, nextAttempt - 2));
        var delay = TimeSpan.FromMilliseconds(step / 2 + Random.Shared.NextDouble() * step / 2);
        return Task.Delay(delay, time, cancellationToken);
    }
}
