using ChatDemo.Web.Chat;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ChatDemo.Web.Http;

/// <summary>
/// A message's <c>deleted</c> flag in the OpenAPI document: the wire writes it beside <c>deletedAt</c>
/// (<see cref="ChatMessageJsonConverter"/>), from no property Swagger could see (protocol.md 10.1).
/// </summary>
internal sealed class ChatMessageSchemaFilter : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (context.Type != typeof(ChatMessage) || schema is not OpenApiSchema { Properties: { } properties }) return;
        properties["deleted"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Boolean,
            Description = "v1.1: true on a tombstone (a deleted message, whose text is empty); absent otherwise.",
        };
    }
}
