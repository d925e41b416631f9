using ChatDemo.Web.Chat;

namespace ChatDemo.Web.Rooms;

/// <summary>The <c>event</c> of a <c>member</c> frame (protocol.md 11.6).</summary>
public static class MemberEvents
{
    public const string Joined = "joined";
    public const string Left = "left";
    public const string Removed = "removed";
    public const string Role = "role";
    public const string Muted = "muted";
    public const string Unmuted = "unmuted";
    public const string Kicked = "kicked";
    public const string Banned = "banned";
    public const string Unbanned = "unbanned";
}

/// <summary>One change to a room's people, as the <c>member</c> frame tells it.</summary>
/// <param name="Room">The room.</param>
/// <param name="Event">One of <see cref="MemberEvents"/>.</param>
/// <param name="UserId">Whom it is about.</param>
/// <param name="UserName">Their name, when the room knows it.</param>
/// <param name="At">When.</param>
public sealed record MemberChange(string Room, string Event, string UserId, string? UserName, DateTimeOffset At)
{
    /// <summary>Who did it, when someone else did.</summary>
    public ChatUser? By { get; init; }

    /// <summary>The new role (joined, role).</summary>
    public RoomRole? Role { get; init; }

    /// <summary>The end of a mute or ban; absent when for good.</summary>
    public DateTimeOffset? Until { get; init; }
}

/// <summary>Server → client frames of protocol v1.2.</summary>
public static class RoomFrames
{
    /// <summary><c>{"type":"member","room","event","user":{"id","name"?},"by"?,"role"?,"until"?,"at"}</c>.</summary>
    public static byte[] Member(MemberChange change) => ServerFrames.Write(change, static (w, c) =>
    {
        w.WriteString("type", "member");
        w.WriteString("room", c.Room);
        w.WriteString("event", c.Event);
        w.WriteStartObject("user");
        w.WriteString("id", c.UserId);
        if (c.UserName is not null) w.WriteString("name", c.UserName);
        w.WriteEndObject();
        if (c.By is { } by)
        {
            w.WriteStartObject("by");
            w.WriteString("id", by.Id);
            w.WriteString("name", by.Name);
            w.WriteEndObject();
        }
        if (c.Role is { } role) w.WriteString("role", RoomRules.RoleName(role));
        if (c.Until is { } until) w.WriteString("until", ChatTime.ToWire(until));
        w.WriteString("at", ChatTime.ToWire(c.At));
    });
}
