namespace ChatDemo.Web.Chat;

/// <summary>
/// Serializes a room's store write and its fan-out, so that every connection of a room sees
/// the room's events in the order the store accepted them. Striped: memory stays fixed however
/// many rooms come and go; unrelated rooms rarely share a stripe.
/// </summary>
public sealed class RoomLocks
{
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async ValueTask<Releaser> EnterAsync(string room, CancellationToken cancellationToken)
    {
        var stripe = _stripes[(uint)StringComparer.Ordinal.GetHashCode(room) % (uint)_stripes.Length];
        await stripe.WaitAsync(cancellationToken);
        return new Releaser(stripe);
    }

    public readonly struct Releaser(SemaphoreSlim stripe) : IDisposable
    {
        public void Dispose() => stripe.Release();
    }
}
