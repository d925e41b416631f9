namespace ChatDemo.Web.Storage.DynamoDb;

/// <summary>
/// The deadline of one store operation, retries included (<c>Chat__DynamoDb__CallTimeoutSeconds</c>).
/// The SDK sets none on async calls, and a send waits inside its room's lock: one request that
/// never got an answer once held a room until the chaos test gave up (docs/reliability.md). Past
/// the deadline the operation fails with a <see cref="TimeoutException"/> and the caller's usual
/// error path runs.
/// </summary>
internal sealed class DynamoDbDeadline(TimeSpan timeout)
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(10);

    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await operation(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"DynamoDB did not answer within {timeout.TotalSeconds:0.#} s (Chat__DynamoDb__CallTimeoutSeconds).");
        }
    }

    public Task RunAsync(Func<CancellationToken, Task> operation, CancellationToken cancellationToken) =>
        RunAsync(async token =>
        {
            await operation(token);
            return true;
        }, cancellationToken);
}
