using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatDemo.Web.Chat;

/// <summary>Protocol times: ISO-8601 UTC with exactly three fraction digits.</summary>
public static class ChatTime
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>Stored and sent times carry milliseconds only, so what is sent equals what is stored.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset time) =>
        new(time.UtcTicks - time.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

    public static string ToWire(DateTimeOffset time) => time.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);
}

/// <summary>Writes every <see cref="DateTimeOffset"/> in the protocol's format.</summary>
public sealed class ChatTimeJsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(ChatTime.ToWire(value));
}
