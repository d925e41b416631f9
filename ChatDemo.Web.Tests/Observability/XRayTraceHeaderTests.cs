using System.Diagnostics;
using ChatDemo.Web.Telemetry;

namespace ChatDemo.Web.Tests.Observability;

public class XRayTraceHeaderTests
{
    // The shape Lambda puts in _X_AMZN_TRACE_ID and Lambda-Runtime-Trace-Id.
    private const string LambdaHeader = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a87bd80c:1";

    [Fact]
    public void Maps_an_XRay_header_to_the_W3C_ids_it_names()
    {
        var header = XRayTraceHeader.Parse(LambdaHeader)!;

        Assert.Equal("5759e988bd862e3fe1be46a994272793", header.TraceId.ToHexString());
        Assert.Equal("53995c3f42cd8ad8", header.ParentId!.Value.ToHexString());
        Assert.True(header.Sampled);
        var context = header.ToActivityContext()!.Value;
        Assert.Equal(header.TraceId, context.TraceId);
        Assert.Equal(header.ParentId, context.SpanId);
        Assert.Equal(ActivityTraceFlags.Recorded, context.TraceFlags);
        Assert.True(context.IsRemote);
        Assert.Equal("00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01", TraceParent.Format(context));
    }

    [Fact]
    public void Maps_a_W3C_context_back_to_the_same_XRay_header()
    {
        var context = TraceParent.Parse("00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-00")!.Value;

        var header = XRayTraceHeader.FromActivityContext(context);

        Assert.Equal("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0", header.ToString());
        Assert.Equal(header, XRayTraceHeader.Parse(header.ToString()));
    }

    [Fact]
    public void Upper_case_hex_is_read_as_the_same_ids()
    {
        var header = XRayTraceHeader.Parse("Root=1-5759E988-BD862E3FE1BE46A994272793;Parent=53995C3F42CD8AD8")!;

        Assert.Equal("5759e988bd862e3fe1be46a994272793", header.TraceId.ToHexString());
        Assert.Equal("53995c3f42cd8ad8", header.ParentId!.Value.ToHexString());
        Assert.Null(header.Sampled);
        Assert.Equal(ActivityTraceFlags.None, header.ToActivityContext()!.Value.TraceFlags);
    }

    [Fact]
    public void A_header_without_a_parent_names_a_trace_but_no_span_to_continue()
    {
        var header = XRayTraceHeader.Parse("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=?")!;

        Assert.Equal("5759e988bd862e3fe1be46a994272793", header.TraceId.ToHexString());
        Assert.Null(header.ParentId);
        Assert.Null(header.Sampled);
        Assert.Null(header.ToActivityContext());
        Assert.Equal("Root=1-5759e988-bd862e3fe1be46a994272793", header.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Parent=53995c3f42cd8ad8;Sampled=1")]
    [InlineData("Root=2-5759e988-bd862e3fe1be46a994272793")]
    [InlineData("Root=1-5759e98-bd862e3fe1be46a994272793")]
    [InlineData("Root=1-5759e988-bd862e3fe1be46a99427279")]
    [InlineData("Root=1-5759e98g-bd862e3fe1be46a994272793")]
    [InlineData("Root=1-00000000-000000000000000000000000")]
    [InlineData("Root=15759e988bd862e3fe1be46a994272793")]
    public void A_header_without_a_well_formed_root_is_no_trace(string? value) =>
        Assert.Null(XRayTraceHeader.Parse(value));

    [Theory]
    [InlineData("Parent=53995c3f42cd8ad")]
    [InlineData("Parent=53995c3f42cd8adz")]
    [InlineData("Parent=0000000000000000")]
    public void A_malformed_parent_is_dropped_and_the_root_kept(string parent)
    {
        var header = XRayTraceHeader.Parse($"Root=1-5759e988-bd862e3fe1be46a994272793;{parent};Sampled=1")!;

        Assert.Null(header.ParentId);
        Assert.True(header.Sampled);
    }
}

public class TraceParentTests
{
    [Fact]
    public void Formats_the_current_span_and_reads_it_back_as_a_remote_parent()
    {
        using var source = new ActivitySource("ChatDemo.Tests.TraceParent");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s == source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);

        using var activity = source.StartActivity("send")!;
        var traceParent = TraceParent.OfCurrent();

        Assert.Equal($"00-{activity.TraceId.ToHexString()}-{activity.SpanId.ToHexString()}-01", traceParent);
        var parent = TraceParent.Parse(traceParent)!.Value;
        Assert.Equal(activity.TraceId, parent.TraceId);
        Assert.Equal(activity.SpanId, parent.SpanId);
        Assert.True(parent.IsRemote);
    }

    [Fact]
    public void No_current_span_carries_nothing()
    {
        Activity.Current = null;
        Assert.Null(TraceParent.OfCurrent());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8")]
    [InlineData("00-00000000000000000000000000000000-53995c3f42cd8ad8-01")]
    [InlineData("00-5759e988bd862e3fe1be46a994272793-0000000000000000-01")]
    [InlineData("zz-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01")]
    [InlineData("not a traceparent")]
    public void A_missing_or_malformed_traceparent_starts_a_new_trace(string? value) =>
        Assert.Null(TraceParent.Parse(value));
}
