namespace ChatDemo.Web.Chat;

/// <summary>
/// Send budgets kept in the store, observed like the store itself (<see cref="StoreCallObserver"/>):
/// each take is a <c>store take_send_budget</c> span and measurement, each flood strike a
/// <c>store record_flood_strike</c>, so the write every accepted frame adds in AWS mode is seen
/// beside the send's own.
/// </summary>
public sealed class InstrumentedSendBudgets(IStoredSendBudgets inner, StoreCallObserver observer) : IStoredSendBudgets
{
    public ISendLimit ForConnection(ChatConnection connection) => new Limit(inner.ForConnection(connection), connection.Room, observer);

    private sealed class Limit(ISendLimit inner, string room, StoreCallObserver observer) : ISendLimit
    {
        public async ValueTask<bool> TryAcquireAsync(CancellationToken cancellationToken) =>
            await observer.ObserveAsync("take_send_budget", room, () => inner.TryAcquireAsync(cancellationToken).AsTask());

        public async ValueTask<bool> RecordStrikeAsync(CancellationToken cancellationToken) =>
            await observer.ObserveAsync("record_flood_strike", room, () => inner.RecordStrikeAsync(cancellationToken).AsTask());
    }
}
