using System.Diagnostics.Metrics;
using System.Text.Json;
using ChatDemo.Web.Observability.EmbeddedMetrics;
using ChatDemo.Web.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ChatDemo.Web.Tests.Observability;

public sealed class EmbeddedMetricsTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ChatMetrics _metrics;
    private readonly EmbeddedMetricsCollector _collector;

    public EmbeddedMetricsTests()
    {
        _metrics = new ChatMetrics(_services.GetRequiredService<IMeterFactory>());
        _collector = new EmbeddedMetricsCollector(_metrics, new FakeTimeProvider(Now), "chatdemo-fn");
    }

    [Fact]
    public void A_workload_flushes_as_valid_lines_carrying_its_totals_and_every_latency()
    {
        // 3 messages accepted, each delivered to 4 receivers.
        for (var message = 0; message < 3; message++)
        {
            _metrics.MessagesAccepted.Add(1);
            for (var receiver = 0; receiver < 4; receiver++)
            {
                _metrics.Deliveries.Add(1);
                _metrics.DeliveryLatency.Record(10 * message + receiver);
            }
        }
        _metrics.StoreDuration.Record(1.5, new KeyValuePair<string, object?>(ChatMetrics.Tags.Operation, "append"));
        _metrics.StoreDuration.Record(2.5, new KeyValuePair<string, object?>(ChatMetrics.Tags.Operation, "append"));
        _metrics.StoreDuration.Record(0.5, new KeyValuePair<string, object?>(ChatMetrics.Tags.Operation, "get_connections"));

        var lines = Flush();

        Assert.All(lines, line => Assert.Empty(EmfRules.Check(line)));
        Assert.Equal(3, lines.Count); // no tags; operation=append; operation=get_connections
        var untagged = EmfRules.Values(lines.Single(l => !l.Contains("\"operation\"")));
        Assert.Equal([3], untagged["chatdemo.messages.accepted"]);
        Assert.Equal([12], untagged["chatdemo.deliveries"]);
        Assert.Equal([0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23], untagged["chatdemo.delivery.latency"]);
        var append = JsonDocument.Parse(lines.Single(l => l.Contains("\"append\""))).RootElement;
        Assert.Equal([1.5, 2.5], EmfRules.Values(append.GetRawText())["chatdemo.store.duration"]);
        Assert.Equal("chatdemo-fn", append.GetProperty("Service").GetString());
        Assert.Equal(Now.ToUnixTimeMilliseconds(), append.GetProperty("_aws").GetProperty("Timestamp").GetInt64());
        var directive = append.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0];
        Assert.Equal("ChatDemo", directive.GetProperty("Namespace").GetString());
        Assert.Equal("[[\"Service\"],[\"Service\",\"operation\"]]", directive.GetProperty("Dimensions").GetRawText());
        Assert.Equal("Milliseconds", directive.GetProperty("Metrics")[0].GetProperty("Unit").GetString());
        var counts = JsonDocument.Parse(lines.Single(l => !l.Contains("\"operation\""))).RootElement
            .GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Metrics").EnumerateArray()
            .ToDictionary(m => m.GetProperty("Name").GetString()!, m => m.GetProperty("Unit").GetString());
        Assert.Equal("Count", counts["chatdemo.deliveries"]);
    }

    [Fact]
    public void Each_flush_carries_only_what_was_measured_since_the_last()
    {
        _metrics.Deliveries.Add(5);
        Assert.Equal([5], EmfRules.Values(Assert.Single(Flush()))["chatdemo.deliveries"]);

        Assert.Empty(Flush());

        _metrics.Deliveries.Add(2);
        _metrics.ConnectionsOpen.Add(1);
        _metrics.ConnectionsOpen.Add(-1);
        _metrics.ConnectionsOpen.Add(1);
        var values = EmfRules.Values(Assert.Single(Flush()));
        Assert.Equal([2], values["chatdemo.deliveries"]);
        Assert.Equal([1], values["chatdemo.connections.open"]);
    }

    [Fact]
    public void Over_100_values_of_a_metric_are_split_across_lines_and_none_is_lost()
    {
        for (var i = 0; i < 250; i++) _metrics.DeliveryLatency.Record(i);
        _metrics.Deliveries.Add(250);

        var lines = Flush();

        Assert.Equal(3, lines.Count);
        Assert.All(lines, line => Assert.Empty(EmfRules.Check(line)));
        var latencies = lines.SelectMany(l => EmfRules.Values(l).GetValueOrDefault("chatdemo.delivery.latency", [])).ToArray();
        Assert.Equal(Enumerable.Range(0, 250).Select(i => (double)i), latencies);
        // The counter is reported once, not once per line.
        Assert.Equal(250, lines.Sum(l => EmfRules.Values(l).GetValueOrDefault("chatdemo.deliveries", [0])[0]));
    }

    [Fact]
    public void Each_reason_is_its_own_dimension_value_beside_the_total()
    {
        _metrics.FramesRefused.Add(1, new KeyValuePair<string, object?>(ChatMetrics.Tags.Reason, "invalid_json"));
        _metrics.FramesRefused.Add(1, new KeyValuePair<string, object?>(ChatMetrics.Tags.Reason, "invalid_json"));
        _metrics.FramesRefused.Add(1, new KeyValuePair<string, object?>(ChatMetrics.Tags.Reason, "text_too_long"));

        var lines = Flush();

        Assert.Equal(2, lines.Count);
        var byReason = lines.ToDictionary(
            l => JsonDocument.Parse(l).RootElement.GetProperty("reason").GetString()!,
            l => EmfRules.Values(l)["chatdemo.frames.refused"][0]);
        Assert.Equal(2, byReason["invalid_json"]);
        Assert.Equal(1, byReason["text_too_long"]);
    }

    [Fact]
    public void Extra_properties_ride_along_for_finding_the_invocation()
    {
        _metrics.MessagesAccepted.Add(1);
        var output = new StringWriter();

        _collector.Flush(output, new Dictionary<string, string> { ["requestId"] = "req-1", ["traceId"] = "5759e988bd862e3fe1be46a994272793" });

        var root = JsonDocument.Parse(output.ToString()).RootElement;
        Assert.Empty(EmfRules.Check(output.ToString().TrimEnd('\n')));
        Assert.Equal("req-1", root.GetProperty("requestId").GetString());
        Assert.Equal("5759e988bd862e3fe1be46a994272793", root.GetProperty("traceId").GetString());
    }

    [Fact]
    public void Another_apps_meter_of_the_same_name_is_not_collected()
    {
        using var other = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var otherMetrics = new ChatMetrics(other.GetRequiredService<IMeterFactory>());

        otherMetrics.Deliveries.Add(7);
        _metrics.Deliveries.Add(1);

        Assert.Equal([1], EmfRules.Values(Assert.Single(Flush()))["chatdemo.deliveries"]);
    }

    [Fact]
    public void Values_CloudWatch_cannot_store_are_left_out()
    {
        _metrics.DeliveryLatency.Record(double.NaN);
        _metrics.DeliveryLatency.Record(double.PositiveInfinity);
        _metrics.DeliveryLatency.Record(4);

        var line = Assert.Single(Flush());

        Assert.Empty(EmfRules.Check(line));
        Assert.Equal([4], EmfRules.Values(line)["chatdemo.delivery.latency"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("AWS/Lambda")]
    [InlineData("Chat*Demo")]
    public void A_namespace_CloudWatch_refuses_is_refused(string ns) =>
        Assert.Throws<ArgumentException>(() => Write(ns, new EmfMetric("m", EmfUnits.Count, [1])));

    [Theory]
    [InlineData("")]
    [InlineData(":starts-with-colon")]
    [InlineData("non-ascii-é")]
    public void A_metric_name_CloudWatch_refuses_is_refused(string name) =>
        Assert.Throws<ArgumentException>(() => Write("ChatDemo", new EmfMetric(name, EmfUnits.Count, [1])));

    [Fact]
    public void Names_of_256_characters_units_outside_the_list_and_duplicates_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Write("ChatDemo", new EmfMetric(new string('m', 256), EmfUnits.Count, [1])));
        Assert.Throws<ArgumentException>(() => Write("ChatDemo", new EmfMetric("m", "ms", [1])));
        Assert.Throws<ArgumentException>(() => Write("ChatDemo", new EmfMetric("m", EmfUnits.Count, [1]), new EmfMetric("m", EmfUnits.Count, [2])));
        Assert.Throws<ArgumentException>(() => Write("ChatDemo", new EmfMetric("Service", EmfUnits.Count, [1])));
    }

    [Fact]
    public void A_dimension_set_over_30_or_naming_a_missing_value_is_refused()
    {
        var dimensions = Enumerable.Range(0, 31).ToDictionary(i => $"d{i}", i => "v");
        var metric = new EmfMetric("m", EmfUnits.Count, [1]);

        Assert.Throws<ArgumentException>(() => EmfDocument.Write(new StringWriter(), "ChatDemo", Now, dimensions, [dimensions.Keys.ToArray()], [metric]));
        var thirty = dimensions.Keys.Take(30).ToArray();
        var output = new StringWriter();
        EmfDocument.Write(output, "ChatDemo", Now, dimensions, [thirty], [metric]);
        Assert.Empty(EmfRules.Check(output.ToString().TrimEnd('\n')));
        Assert.Throws<ArgumentException>(() => EmfDocument.Write(new StringWriter(), "ChatDemo", Now, new Dictionary<string, string>(), [["missing"]], [metric]));
        Assert.Throws<ArgumentException>(() => EmfDocument.Write(new StringWriter(), "ChatDemo", Now, new Dictionary<string, string> { ["d"] = "" }, [["d"]], [metric]));
    }

    [Theory]
    [InlineData("ms", "Milliseconds")]
    [InlineData("s", "Seconds")]
    [InlineData("By", "Bytes")]
    [InlineData("{message}", "Count")]
    [InlineData("1", "Count")]
    [InlineData("furlongs", "None")]
    [InlineData(null, "None")]
    public void Instrument_units_map_to_CloudWatch_units(string? unit, string expected)
    {
        Assert.Equal(expected, EmfUnits.FromInstrumentUnit(unit));
        Assert.Contains(expected, EmfUnits.All);
    }

    [Fact]
    public void Every_ChatDemo_instrument_has_a_name_and_unit_CloudWatch_accepts()
    {
        var instruments = typeof(ChatMetrics).GetProperties()
            .Select(p => p.GetValue(_metrics)).OfType<Instrument>().ToArray();

        Assert.Equal(10, instruments.Length);
        foreach (var instrument in instruments)
        {
            EmfDocument.ValidateName(instrument.Name, "metric");
            Assert.NotEqual(EmfUnits.None, EmfUnits.FromInstrumentUnit(instrument.Unit));
        }
    }

    private List<string> Flush()
    {
        var output = new StringWriter();
        var count = _collector.Flush(output);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        Assert.Equal(count, lines.Count);
        return lines;
    }

    private static void Write(string ns, params EmfMetric[] metrics) =>
        EmfDocument.Write(new StringWriter(), ns, Now, new Dictionary<string, string> { ["Service"] = "s" }, [["Service"]], metrics);

    public void Dispose()
    {
        _collector.Dispose();
        _services.Dispose();
    }
}
