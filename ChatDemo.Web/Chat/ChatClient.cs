namespace ChatDemo.Web.Chat;

/// <summary>
/// The connection a frame arrived on, as the chat logic sees it.
/// </summary>
/// <param name="ConnectionId">The transport's connection id (Kestrel's or API Gateway's).</param>
/// <param name="Room">The one room of this connection.</param>
/// <param name="User">The verified sender, from the session token.</param>
/// <param name="RateLimit">The connection's send limit: its user's budget in the room, in process
/// (Kestrel) or in the store (AWS); none on a Lambda host without a DynamoDB store (tests only).</param>
public sealed record ChatClient(string ConnectionId, string Room, ChatUser User, ISendLimit? RateLimit = null)
{
    /// <summary>v1.2: an administrator's connection (<see cref="ChatConnection.Admin"/>).</summary>
    public bool Admin { get; init; }
}

/// <summary>What the transport should do after a frame was handled.</summary>
public enum FrameOutcome
{
    Continue,

    /// <summary>The connection kept sending over its limit: close it with 1008.</summary>
    CloseForFlooding,
}
