using ChatDemo.Web.Aws;
using Microsoft.Extensions.DependencyInjection;

namespace ChatDemo.Web.Tests.Aws;

/// <summary>The clients registered as the app registers them (typed client + AddAwsTransport: retries above SigV4), pointed at fakes.</summary>
public static class AwsClientServices
{
    public static ServiceProvider Create(ApiGatewayManagementFake? apiGateway = null, EventBridgeFake? eventBridge = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(AwsTestCredentials.Identity);
        if (apiGateway is not null)
            services.AddHttpClient<ApiGatewayManagementClient>(http => http.BaseAddress = apiGateway.ManagementEndpoint)
                .AddAwsTransport(ApiGatewayManagementClient.ServiceName, ApiGatewayManagementClient.ServiceLabel);
        if (eventBridge is not null)
            services.AddHttpClient<EventBridgeClient>(http => http.BaseAddress = eventBridge.BaseUri)
                .AddAwsTransport(EventBridgeClient.ServiceName, EventBridgeClient.ServiceLabel);
        return services.BuildServiceProvider();
    }
}
