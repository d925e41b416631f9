using System.Text.Json.Serialization;

namespace ChatDemo.Web.Sessions;

[JsonSerializable(typeof(TokenPayload))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class SessionJsonContext : JsonSerializerContext;
