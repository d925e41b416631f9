using System.Diagnostics.Metrics;
using System.Globalization;
using ChatDemo.Web.Telemetry;

namespace ChatDemo.Web.Observability.EmbeddedMetrics;

/// <summary>
/// Collects ChatDemo's measurements in memory and writes them, on demand, as CloudWatch
/// embedded-metric-format lines. Inside Lambda there is no background exporter to rely on: the
/// sandbox is frozen as soon as the response is posted, so the hosting adapter flushes once per
/// invocation, before posting it, and each flush carries exactly what happened since the last.
/// Counters are reported as the flush's sum, histograms as their raw values (CloudWatch computes
/// the percentiles), so nothing is lost to pre-aggregation.
/// </summary>
public sealed class EmbeddedMetricsCollector : IDisposable
{
    public const string Namespace = "ChatDemo";

    /// <summary>The dimension every line carries (the function's name in Lambda), so stacks stay apart.</summary>
    public const string ServiceDimension = "Service";

    private readonly MeterListener _listener = new();
    private readonly TimeProvider _time;
    private readonly string _service;
    private readonly Lock _lock = new();
    private Dictionary<SeriesKey, Series> _series = new();

    public EmbeddedMetricsCollector(ChatMetrics metrics, TimeProvider time, string service)
    {
        _time = time;
        _service = service;
        var meter = metrics.Meter;
        // Only this app's meter: another app in the same process (the tests) keeps its own.
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter)) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>
    /// Writes what was measured since the last flush, one line per set of tag values (more when
    /// a metric has over 100 values), and flushes <paramref name="output"/>. Returns the lines' count.
    /// </summary>
    public int Flush(TextWriter output, IReadOnlyDictionary<string, string>? properties = null)
    {
        Dictionary<SeriesKey, Series> taken;
        lock (_lock)
        {
            if (_series.Count == 0) return 0;
            taken = _series;
            _series = new Dictionary<SeriesKey, Series>();
        }

        var lines = new StringWriter(CultureInfo.InvariantCulture);
        var now = _time.GetUtcNow();
        foreach (var group in taken.GroupBy(s => s.Key.Tags, TagSetComparer.Instance))
        {
            var dimensions = new Dictionary<string, string>(StringComparer.Ordinal) { [ServiceDimension] = _service };
            foreach (var (key, value) in group.Key) dimensions[key] = value;
            IReadOnlyList<IReadOnlyList<string>> sets = group.Key.Length == 0
                ? [[ServiceDimension]]
                // Both the total over all tag values and the breakdown by them.
                : [[ServiceDimension], [ServiceDimension, .. group.Key.Select(t => t.Key)]];
            var metrics = group
                .OrderBy(s => s.Key.Name, StringComparer.Ordinal)
                .Select(s => new EmfMetric(s.Key.Name, s.Value.Unit, s.Value.Values))
                .ToArray();
            EmfDocument.Write(lines, Namespace, now, dimensions, sets, metrics, properties);
        }
        var text = lines.ToString();
        output.Write(text);
        output.Flush();
        return text.Count(c => c == '\n');
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var key = new SeriesKey(instrument.Name, TagsOf(tags));
        var isHistogram = instrument is Histogram<double> or Histogram<long>;
        lock (_lock)
        {
            if (!_series.TryGetValue(key, out var series))
                _series[key] = series = new Series(EmfUnits.FromInstrumentUnit(instrument.Unit), []);
            if (isHistogram || series.Values.Count == 0) series.Values.Add(value);
            else series.Values[0] += value;
        }
    }

    /// <summary>Tags become dimensions: sorted by name, values as invariant strings, empty ones left out.</summary>
    private static KeyValuePair<string, string>[] TagsOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty) return [];
        var list = new List<KeyValuePair<string, string>>(tags.Length);
        foreach (var (key, value) in tags)
        {
            var text = Convert.ToString(value, CultureInfo.InvariantCulture);
            if (!string.IsNullOrEmpty(text)) list.Add(new(key, text));
        }
        list.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return [.. list];
    }

    public void Dispose() => _listener.Dispose();

    private sealed record Series(string Unit, List<double> Values);

    private readonly record struct SeriesKey(string Name, KeyValuePair<string, string>[] Tags)
    {
        public bool Equals(SeriesKey other) => Name == other.Name && TagSetComparer.Instance.Equals(Tags, other.Tags);

        public override int GetHashCode() => HashCode.Combine(Name, TagSetComparer.Instance.GetHashCode(Tags));
    }

    private sealed class TagSetComparer : IEqualityComparer<KeyValuePair<string, string>[]>
    {
        public static readonly TagSetComparer Instance = new();

        public bool Equals(KeyValuePair<string, string>[]? x, KeyValuePair<string, string>[]? y) =>
            x is not null && y is not null && x.AsSpan().SequenceEqual(y);

        public int GetHashCode(KeyValuePair<string, string>[] tags)
        {
            var hash = new HashCode();
            foreach (var tag in tags) hash.Add(tag);
            return hash.ToHashCode();
        }
    }
}
