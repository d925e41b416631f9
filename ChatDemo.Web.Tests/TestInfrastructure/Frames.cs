using System.Text.Json;

namespace ChatDemo.Web.Tests.TestInfrastructure;

/// <summary>Short readers for protocol frames and test room names.</summary>
public static class Frames
{
    public static string Type(this JsonElement frame) => frame.GetProperty("type").GetString()!;

    public static string Str(this JsonElement frame, string property) => frame.GetProperty(property).GetString()!;

    /// <summary>A room name no other test uses.</summary>
    public static string NewRoom() => "r" + Guid.NewGuid().ToString("N");
}
