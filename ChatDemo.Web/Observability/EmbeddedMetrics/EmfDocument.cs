using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ChatDemo.Web.Observability.EmbeddedMetrics;

/// <summary>One metric's values under one set of dimension values.</summary>
public sealed record EmfMetric(string Name, string Unit, IReadOnlyList<double> Values);

/// <summary>
/// Writes CloudWatch embedded-metric-format documents: one JSON object per line, with the
/// <c>_aws</c> metadata (<c>Timestamp</c>, <c>CloudWatchMetrics</c> directives) and the dimension
/// values and metric values as root members. Everything CloudWatch would refuse is refused here
/// when the metric is defined, so that a bad name is a bug found in a test rather than a metric
/// silently missing in production; limits that real workloads can pass (values per metric,
/// metrics per directive) split a flush into more lines instead.
/// </summary>
public static partial class EmfDocument
{
    public const int MaxDimensionsPerSet = 30;
    public const int MaxMetricsPerDirective = 100;
    public const int MaxValuesPerMetric = 100;
    public const int MaxNameLength = 255;
    public const int MaxDimensionValueLength = 1024;

    /// <summary>CloudWatch's namespace characters; <c>AWS/</c> is reserved for AWS's own.</summary>
    [GeneratedRegex(@"^[0-9A-Za-z.\-_/#: ]{1,255}$")]
    private static partial Regex NamespacePattern();

    public static void ValidateNamespace(string ns)
    {
        if (!NamespacePattern().IsMatch(ns) || ns.StartsWith("AWS/", StringComparison.Ordinal))
            throw new ArgumentException($"'{ns}' is not a CloudWatch namespace: 1-255 of 0-9 A-Z a-z . - _ / # : and space, not starting with AWS/.", nameof(ns));
    }

    /// <summary>Metric and dimension names: 1-255 printable ASCII characters, not starting with a colon.</summary>
    public static void ValidateName(string name, string what)
    {
        if (name.Length is 0 or > MaxNameLength || name[0] == ':' || name.Any(c => c is < ' ' or > '~'))
            throw new ArgumentException($"'{name}' is not a valid {what} name: 1-{MaxNameLength} printable ASCII characters, not starting with ':'.", nameof(name));
    }

    /// <summary>
    /// Writes the documents for one set of dimension values: as many lines as the longest
    /// metric needs at <see cref="MaxValuesPerMetric"/> values a line. <paramref name="dimensionSets"/>
    /// name which combinations of <paramref name="dimensions"/> CloudWatch aggregates by.
    /// <paramref name="properties"/> are extra root members (ids for finding the line again); they
    /// must not share a name with a dimension or a metric.
    /// </summary>
    public static void Write(
        TextWriter output,
        string ns,
        DateTimeOffset timestamp,
        IReadOnlyDictionary<string, string> dimensions,
        IReadOnlyList<IReadOnlyList<string>> dimensionSets,
        IReadOnlyList<EmfMetric> metrics,
        IReadOnlyDictionary<string, string>? properties = null)
    {
        ValidateNamespace(ns);
        foreach (var set in dimensionSets)
        {
            if (set.Count > MaxDimensionsPerSet)
                throw new ArgumentException($"A dimension set has {set.Count} dimensions; CloudWatch allows {MaxDimensionsPerSet}.", nameof(dimensionSets));
            foreach (var key in set)
                if (!dimensions.ContainsKey(key)) throw new ArgumentException($"Dimension '{key}' has no value.", nameof(dimensionSets));
        }
        foreach (var (key, value) in dimensions)
        {
            ValidateName(key, "dimension");
            if (value.Length is 0 or > MaxDimensionValueLength || value.Any(char.IsControl))
                throw new ArgumentException($"Dimension '{key}' has a value CloudWatch refuses (1-{MaxDimensionValueLength} characters, no control characters).", nameof(dimensions));
        }
        var names = new HashSet<string>(dimensions.Keys, StringComparer.Ordinal);
        foreach (var metric in metrics)
        {
            ValidateName(metric.Name, "metric");
            if (!EmfUnits.All.Contains(metric.Unit)) throw new ArgumentException($"'{metric.Unit}' is not a CloudWatch unit.", nameof(metrics));
            if (!names.Add(metric.Name)) throw new ArgumentException($"'{metric.Name}' is defined twice or is also a dimension.", nameof(metrics));
        }
        if (properties is not null)
            foreach (var key in properties.Keys)
                if (names.Contains(key) || key == "_aws") throw new ArgumentException($"Property '{key}' collides with a metric or dimension.", nameof(properties));

        // Values CloudWatch cannot store (NaN, infinities) are left out rather than failing the line.
        var finite = metrics
            .Select(m => m with { Values = m.Values.Where(double.IsFinite).ToArray() })
            .Where(m => m.Values.Count > 0)
            .ToArray();
        var lines = finite.Length == 0 ? 0 : finite.Max(m => (m.Values.Count + MaxValuesPerMetric - 1) / MaxValuesPerMetric);
        for (var line = 0; line < lines; line++)
        {
            var slice = finite
                .Where(m => m.Values.Count > line * MaxValuesPerMetric)
                .Select(m => m with { Values = m.Values.Skip(line * MaxValuesPerMetric).Take(MaxValuesPerMetric).ToArray() })
                .ToArray();
            output.WriteLine(Line(ns, timestamp, dimensions, dimensionSets, slice, properties));
        }
    }

    private static string Line(
        string ns,
        DateTimeOffset timestamp,
        IReadOnlyDictionary<string, string> dimensions,
        IReadOnlyList<IReadOnlyList<string>> dimensionSets,
        IReadOnlyList<EmfMetric> metrics,
        IReadOnlyDictionary<string, string>? properties)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("_aws");
            json.WriteNumber("Timestamp", timestamp.ToUnixTimeMilliseconds());
            json.WriteStartArray("CloudWatchMetrics");
            foreach (var chunk in metrics.Chunk(MaxMetricsPerDirective))
            {
                json.WriteStartObject();
                json.WriteString("Namespace", ns);
                json.WriteStartArray("Dimensions");
                foreach (var set in dimensionSets)
                {
                    json.WriteStartArray();
                    foreach (var key in set) json.WriteStringValue(key);
                    json.WriteEndArray();
                }
                json.WriteEndArray();
                json.WriteStartArray("Metrics");
                foreach (var metric in chunk)
                {
                    json.WriteStartObject();
                    json.WriteString("Name", metric.Name);
                    json.WriteString("Unit", metric.Unit);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();

            foreach (var (key, value) in dimensions) json.WriteString(key, value);
            if (properties is not null)
                foreach (var (key, value) in properties) json.WriteString(key, value);
            foreach (var metric in metrics)
            {
                if (metric.Values.Count == 1)
                {
                    json.WriteNumber(metric.Name, metric.Values[0]);
                    continue;
                }
                json.WriteStartArray(metric.Name);
                foreach (var value in metric.Values) json.WriteNumberValue(value);
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
