namespace ChatDemo.Web.Chat;

/// <summary>Server-assigned identifiers.</summary>
public static class Ids
{
    public static string NewUserId() => "u_" + Guid.NewGuid().ToString("N");

    /// <summary>Version-7 GUIDs sort by creation time, which keeps message ids roughly ordered.</summary>
    public static string NewMessageId() => "m_" + Guid.CreateVersion7().ToString("N");

    public static string NewConnectionId() => "c_" + Guid.NewGuid().ToString("N");
}
