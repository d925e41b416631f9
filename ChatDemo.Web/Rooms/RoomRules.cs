using ChatDemo.Web.Chat;

namespace ChatDemo.Web.Rooms;

/// <summary>The input rules of protocol.md section 11, in one place for every transport.</summary>
public static class RoomRules
{
    public const int MaxTitleLength = 80;
    public const int MaxReasonLength = 200;

    public static readonly TimeSpan MinInviteLifetime = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan MaxInviteLifetime = TimeSpan.FromDays(30);
    public static readonly TimeSpan DefaultInviteLifetime = TimeSpan.FromDays(7);
    public const int MaxInviteUses = 10_000;

    /// <summary>A mute's or a ban's duration: 1 second to 365 days.</summary>
    public const long MaxSanctionSeconds = 31_536_000;

    public const int DefaultModerationLimit = 50;
    public const int MaxModerationLimit = 100;

    /// <summary>How many rooms <c>GET /api/rooms</c> lists at most.</summary>
    public const int MaxListedRooms = 200;

    public static string VisibilityName(RoomVisibility visibility) => visibility == RoomVisibility.Private ? "private" : "public";

    public static bool TryParseVisibility(string? value, out RoomVisibility visibility)
    {
        visibility = value == "private" ? RoomVisibility.Private : RoomVisibility.Public;
        return value is "public" or "private";
    }

    public static string RoleName(RoomRole role) => role switch
    {
        RoomRole.Owner => "owner",
        RoomRole.Moderator => "moderator",
        _ => "member",
    };

    /// <summary>A role a client may give: <c>moderator</c> or <c>member</c> (never <c>owner</c>).</summary>
    public static bool TryParseAssignableRole(string? value, out RoomRole role)
    {
        role = value == "moderator" ? RoomRole.Moderator : RoomRole.Member;
        return value is "moderator" or "member";
    }

    /// <summary>
    /// A title: the text rules of a message (section 3) without <c>\n</c> and <c>\t</c>, 1–80 code
    /// points after trimming. Returns the trimmed title or an error.
    /// </summary>
    public static bool TryNormalizeTitle(string raw, out string title, out string error) =>
        TryNormalizeLine(raw, "title", MaxTitleLength, out title, out error);

    /// <summary>A moderation reason: as a title, 1–200 code points.</summary>
    public static bool TryNormalizeReason(string raw, out string reason, out string error) =>
        TryNormalizeLine(raw, "reason", MaxReasonLength, out reason, out error);

    private static bool TryNormalizeLine(string raw, string what, int maxLength, out string line, out string error)
    {
        line = "";
        if (raw.Contains('\n') || raw.Contains('\t'))
        {
            error = $"{what} must be one line: no control characters";
            return false;
        }
        if (!ChatRules.TryNormalizeText(raw, out var text, out error))
        {
            error = error.Replace("text", what, StringComparison.Ordinal).Replace($"1-{ChatRules.MaxTextLength}", $"1-{maxLength}", StringComparison.Ordinal);
            return false;
        }
        if (text.EnumerateRunes().Count() > maxLength)
        {
            error = $"{what} must be 1-{maxLength} characters";
            return false;
        }
        line = text;
        return true;
    }
}
