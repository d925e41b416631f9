namespace ChatDemo.Web.Chat;

/// <summary>
/// A connection's send limit as the chat core spends it (protocol.md 5 "Limits", 10.5, 11.7):
/// every <c>sendMessage</c>, edit, delete and reaction takes a token from its user's budget in the
/// room, and each <c>rate_limited</c> answer is a strike towards the connection's flood close.
/// Kestrel keeps both in process (<see cref="SendRateLimit"/>); AWS mode, whose frames reach many
/// function instances, keeps them in the store (<see cref="IStoredSendBudgets"/>).
/// </summary>
public interface ISendLimit
{
    /// <summary>Takes one token; false when the user is over their rate in this room.</summary>
    ValueTask<bool> TryAcquireAsync(CancellationToken cancellationToken);

    /// <summary>Records a <c>rate_limited</c> answer; true when the connection is flooding and must be closed.</summary>
    ValueTask<bool> RecordStrikeAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The send budgets of protocol.md 11.7 kept in the store, for hosts that share no memory between
/// the processes that handle one connection's frames (AWS mode: every frame is a Lambda
/// invocation, on whichever instance is free).
/// </summary>
public interface IStoredSendBudgets
{
    /// <summary>The limit of one recorded connection, for the frame being handled.</summary>
    ISendLimit ForConnection(ChatConnection connection);
}

/// <summary>
/// Closes one connection that kept sending over its limit (protocol.md 5, "Limits"): under Kestrel
/// with <c>1008</c>, on AWS with the management API's <c>DeleteConnection</c> (seen as <c>1001</c>).
/// </summary>
public interface IConnectionCloser
{
    ValueTask CloseForFloodingAsync(string connectionId, CancellationToken cancellationToken);
}
