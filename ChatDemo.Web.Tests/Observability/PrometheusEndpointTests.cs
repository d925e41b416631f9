using System.Net;
using ChatDemo.Web.Observability;
using ChatDemo.Web.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChatDemo.Web.Tests.Observability;

public class PrometheusEndpointTests
{
    [Fact]
    public async Task When_enabled_metrics_is_a_Prometheus_scrape_of_ChatDemos_instruments()
    {
        await using var app = await StartAsync(new() { ["Chat:Telemetry:Prometheus"] = "true" }, inLambda: false);
        var metrics = app.Services.GetRequiredService<ChatMetrics>();
        // 2 messages × 3 receivers.
        metrics.MessagesAccepted.Add(2);
        for (var i = 0; i < 6; i++)
        {
            metrics.Deliveries.Add(1);
            metrics.DeliveryLatency.Record(3);
        }
        metrics.DeliveryLatency.Record(700);
        metrics.FramesRefused.Add(1, new KeyValuePair<string, object?>(ChatMetrics.Tags.Reason, "invalid_json"));
        metrics.ConnectionsOpen.Add(4);
        metrics.ConnectionsOpen.Add(-1);

        using var http = new HttpClient { BaseAddress = BaseAddress(app) };
        using var response = await http.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        var scrape = PrometheusText.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(2, scrape.Value("chatdemo_messages_accepted_total"));
        Assert.Equal("counter", scrape.Types["chatdemo_messages_accepted_total"]);
        Assert.Equal(6, scrape.Value("chatdemo_deliveries_total"));
        Assert.Equal(1, scrape.Value("chatdemo_frames_refused_total", ("reason", "invalid_json")));
        Assert.Equal(3, scrape.Value("chatdemo_connections_open"));
        Assert.Equal("histogram", scrape.Types["chatdemo_delivery_latency_milliseconds"]);
        Assert.Equal(7, scrape.Value("chatdemo_delivery_latency_milliseconds_count"));
        Assert.Equal(6 * 3 + 700, scrape.Value("chatdemo_delivery_latency_milliseconds_sum"));
        Assert.Equal(6, scrape.Value("chatdemo_delivery_latency_milliseconds_bucket", ("le", "5")));
        Assert.Equal(7, scrape.Value("chatdemo_delivery_latency_milliseconds_bucket", ("le", "1000")));
        Assert.Equal(7, scrape.Value("chatdemo_delivery_latency_milliseconds_bucket", ("le", "+Inf")));
    }

    [Fact]
    public async Task Off_by_default_there_is_no_metrics_endpoint()
    {
        await using var app = await StartAsync([], inLambda: false);
        using var http = new HttpClient { BaseAddress = BaseAddress(app) };

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Inside_Lambda_the_setting_adds_no_endpoint_nothing_would_scrape()
    {
        await using var app = await StartAsync(new() { ["Chat:Telemetry:Prometheus"] = "true" }, inLambda: true);
        using var http = new HttpClient { BaseAddress = BaseAddress(app) };

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/metrics")).StatusCode);
        Assert.False(app.Services.GetRequiredService<TelemetryOptions>().Prometheus);
    }

    [Fact]
    public void A_bad_value_stops_the_app_naming_the_setting()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Chat:Telemetry:Prometheus"] = "sometimes" });

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddChatObservability(inLambda: false));
        Assert.Contains("Chat:Telemetry:Prometheus", error.Message);
    }

    private static async Task<WebApplication> StartAsync(Dictionary<string, string?> settings, bool inLambda)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddChatObservability(inLambda);
        var app = builder.Build();
        app.MapChatMetrics();
        await app.StartAsync();
        return app;
    }

    private static Uri BaseAddress(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
