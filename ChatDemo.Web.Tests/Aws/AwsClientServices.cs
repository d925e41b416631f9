using ChatDemo.Web.Aws;
using Microsoft.Extensions.DependencyInjection;

namespace ChatDemo.Web.Tests.Aws;

/// <summary>The clients registered as the app registers them (typed client + AddSigV4), pointed at fakes.</summary>
public static class AwsClientServices
{
    public static ServiceProvider Create(ApiGatewayManagementFake? apiGateway = null, EventBridgeFake? eventBridge = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(AwsTestCredentials.Identity);
        services.AddSingleton<AwsRetryPolicy>();
        if (apiGateway is not null)
            services.AddHttpClient<ApiGatewayManagementClient>(http => http.BaseAddress = apiGateway.ManagementEndpoint)
                .AddSigV4(ApiGatewayManagementClient.ServiceName);
        if (eventBridge is not null)
            services.AddHttpClient<EventBridgeClient>(http => http.BaseAddress = eventBridge.BaseUri)
                .AddSigV4(EventBridgeClient.ServiceName);
        return services.BuildServiceProvider();
    }
}
