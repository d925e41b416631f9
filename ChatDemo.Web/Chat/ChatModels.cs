namespace ChatDemo.Web.Chat;

/// <summary>A user as the server knows them: from a verified session token, never from a frame.</summary>
public sealed record ChatUser(string Id, string Name);

/// <summary>A stored chat message.</summary>
public sealed record ChatMessage(
    string Room,
    long Seq,
    string Id,
    string ClientMessageId,
    ChatUser Sender,
    string Text,
    DateTimeOffset SentAt);

/// <summary>One live connection in one room (protocol.md section 2).</summary>
public sealed record ChatConnection(
    string ConnectionId,
    string Room,
    ChatUser User,
    DateTimeOffset ConnectedAt);

/// <summary>A user online in a room, since their earliest open connection.</summary>
public sealed record PresentUser(string Id, string Name, DateTimeOffset OnlineSince);
