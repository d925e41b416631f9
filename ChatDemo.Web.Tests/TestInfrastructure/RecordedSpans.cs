using System.Diagnostics;
using ChatDemo.Web.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace ChatDemo.Web.Tests.TestInfrastructure;

/// <summary>
/// The spans an app's OpenTelemetry pipeline exported, through the SDK's in-memory exporter. The
/// SDK listens to ChatDemo's ActivitySource process-wide, so a test picks its own spans by trace
/// id (or by a room only it uses); this collection is safe to read while spans keep arriving.
/// </summary>
public sealed class RecordedSpans : ICollection<Activity>
{
    private readonly List<Activity> _spans = [];

    /// <summary>
    /// Adds the SDK's tracing with the in-memory exporter to the app, recording every span and the host's
    /// request spans as with a collector (without one the app builds no SDK of its own).
    /// </summary>
    public void AddTo(IServiceCollection services) =>
        services.AddOpenTelemetry().WithTracing(tracing => tracing
            .AddSource(ChatTelemetry.Name).SetSampler(new AlwaysOnSampler()).AddAspNetCoreInstrumentation().AddInMemoryExporter(this));

    public IReadOnlyList<Activity> Snapshot()
    {
        lock (_spans) return [.. _spans];
    }

    public IReadOnlyList<Activity> InTrace(ActivityTraceId traceId) => Snapshot().Where(s => s.TraceId == traceId).ToList();

    /// <summary>Waits until <paramref name="done"/> holds for the spans so far (spans end after the work they cover is visible).</summary>
    public async Task<IReadOnlyList<Activity>> WaitForAsync(Func<IReadOnlyList<Activity>, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var spans = Snapshot();
            if (done(spans)) return spans;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Spans never showed {what}; recorded: {string.Join(", ", spans.Select(s => s.DisplayName).Distinct())}");
            await Task.Delay(50);
        }
    }

    public void Add(Activity item)
    {
        lock (_spans) _spans.Add(item);
    }

    public void Clear()
    {
        lock (_spans) _spans.Clear();
    }

    public bool Contains(Activity item)
    {
        lock (_spans) return _spans.Contains(item);
    }

    public void CopyTo(Activity[] array, int arrayIndex)
    {
        lock (_spans) _spans.CopyTo(array, arrayIndex);
    }

    public bool Remove(Activity item)
    {
        lock (_spans) return _spans.Remove(item);
    }

    public int Count
    {
        get
        {
            lock (_spans) return _spans.Count;
        }
    }

    public bool IsReadOnly => false;

    public IEnumerator<Activity> GetEnumerator() => Snapshot().GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
