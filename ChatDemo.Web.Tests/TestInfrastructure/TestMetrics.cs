using System.Diagnostics.Metrics;
using ChatDemo.Web.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace ChatDemo.Web.Tests.TestInfrastructure;

/// <summary>ChatDemo's instruments on a meter factory of their own, for code built without a host.</summary>
public static class TestMetrics
{
    public static ChatMetrics Create() =>
        new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());
}
