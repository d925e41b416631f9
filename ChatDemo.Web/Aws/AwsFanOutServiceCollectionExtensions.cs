using ChatDemo.Web.Chat;
using ChatDemo.Web.Configuration;
using Microsoft.Extensions.Options;

namespace ChatDemo.Web.Aws;

public static class AwsFanOutServiceCollectionExtensions
{
    /// <summary>
    /// <c>Chat__FanOut=EventBridge</c>: room events go to EventBridge, frames for one connection
    /// and the closing of connections (kick, ban, removal) through the API Gateway Management API,
    /// both signed with SigV4 from the default chain.
    /// </summary>
    public static IServiceCollection AddAwsFanOut(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AwsRegionOptions>()
            .Configure(o => o.Region = configuration["AWS_REGION"] ?? configuration["AWS_DEFAULT_REGION"])
            .Validate(o => !string.IsNullOrWhiteSpace(o.Region),
                "AWS_REGION must name the AWS region (e.g. us-east-1) when Chat__FanOut is EventBridge.")
            .ValidateOnStart();
        services.AddSingleton(sp => AwsSigningIdentity.FromDefaultChain(sp.GetRequiredService<IOptions<AwsRegionOptions>>().Value.Region!));

        services.AddHttpClient<ApiGatewayManagementClient>((sp, http) =>
                http.BaseAddress = new Uri(sp.GetRequiredService<IOptions<ChatOptions>>().Value.ApiGateway.ManagementEndpoint!))
            .AddAwsTransport(ApiGatewayManagementClient.ServiceName, ApiGatewayManagementClient.ServiceLabel);

        services.AddHttpClient<EventBridgeClient>((sp, http) =>
            {
                var options = sp.GetRequiredService<IOptions<ChatOptions>>().Value;
                var region = sp.GetRequiredService<IOptions<AwsRegionOptions>>().Value.Region;
                http.BaseAddress = new Uri(options.EventBridge.ServiceUrl ?? $"https://events.{region}.amazonaws.com/");
            })
            .AddAwsTransport(EventBridgeClient.ServiceName, EventBridgeClient.ServiceLabel);

        services.AddSingleton<IRoomFanOut, EventBridgeFanOut>();
        services.AddSingleton<IConnectionSender, ApiGatewayConnectionSender>();
        services.AddSingleton<ApiGatewayConnectionCloser>();
        services.AddSingleton<IRoomConnectionCloser>(sp => sp.GetRequiredService<ApiGatewayConnectionCloser>());
        services.AddSingleton<IConnectionCloser>(sp => sp.GetRequiredService<ApiGatewayConnectionCloser>());
        return services;
    }
}

/// <summary>The AWS region from the standard AWS environment (<c>AWS_REGION</c>).</summary>
public sealed class AwsRegionOptions
{
    public string? Region { get; set; }
}
