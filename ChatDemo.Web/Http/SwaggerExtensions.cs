using System.Reflection;
using ChatDemo.Web.Chat;
using Microsoft.OpenApi;

namespace ChatDemo.Web.Http;

public static class SwaggerExtensions
{
    public static IServiceCollection AddChatSwagger(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "ChatDemo API",
                Version = "v1",
                Description = "Guest sessions, room history and presence of ChatDemo, protocol version 1; v1.2's rooms, members, " +
                              "invitations, moderation and read positions. Calls that act for a user take the session token of " +
                              "POST /api/sessions as 'Authorization: Bearer <token>'. " +
                              "Live chat runs over the WebSocket from GET /api/config; errors are application/problem+json.",
            });
            // A message's reactions are written as an array (ServerFrames.WriteMessageFields), not as the set's properties.
            swagger.MapType<ReactionSet>(() => new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = "v1.1: one entry per distinct emoji; absent when there are none (protocol.md 10.1).",
                Items = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["emoji"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        ["count"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
                        ["users"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.Object } },
                    },
                },
            });
            swagger.OperationFilter<JsonRequestBodyFilter>();
            swagger.SchemaFilter<ChatMessageSchemaFilter>();
            var xml = Path.Combine(AppContext.BaseDirectory, $"{Assembly.GetExecutingAssembly().GetName().Name}.xml");
            if (File.Exists(xml)) swagger.IncludeXmlComments(xml);
        });
        return services;
    }

    /// <summary>The OpenAPI document at <c>/swagger/v1/swagger.json</c> and Swagger UI at <c>/swagger</c>.</summary>
    public static WebApplication UseChatSwagger(this WebApplication app)
    {
        // Only /swagger requests pass through Swashbuckle's (async) middleware; every other one,
        // a WebSocket held open for hours included, skips it instead of keeping its state alive.
        // The branch is built on the first /swagger request, not at start: Swagger UI's middleware
        // loads its embedded files when it is constructed, work a cold start does not need.
        app.Use(next =>
        {
            var swagger = new Lazy<RequestDelegate>(() =>
            {
                var branch = ((IApplicationBuilder)app).New();
                branch.UseSwagger();
                branch.UseSwaggerUI(ui =>
                {
                    ui.SwaggerEndpoint("/swagger/v1/swagger.json", "ChatDemo API v1");
                    ui.DocumentTitle = "ChatDemo API";
                });
                branch.Run(next);
                return branch.Build();
            });
            return context => context.Request.Path.StartsWithSegments("/swagger") ? swagger.Value(context) : next(context);
        });
        return app;
    }
}
