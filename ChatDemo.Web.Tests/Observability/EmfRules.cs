using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ChatDemo.Web.Tests.Observability;

/// <summary>
/// CloudWatch's embedded metric format rules, written from the specification independently of
/// the app's writer, so that the writer is checked against the format rather than against itself.
/// Returns every broken rule of one log line; empty when CloudWatch would extract its metrics.
/// </summary>
public static partial class EmfRules
{
    private static readonly HashSet<string> Units =
    [
        "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes",
        "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second",
        "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second",
        "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None",
    ];

    [GeneratedRegex(@"^[0-9A-Za-z.\-_/#: ]{1,255}$")]
    private static partial Regex Namespace();

    public static IReadOnlyList<string> Check(string line)
    {
        var problems = new List<string>();
        if (line.Contains('\n') || line.Contains('\r')) problems.Add("a document is one line");
        if (Encoding.UTF8.GetByteCount(line) > 256 * 1024) problems.Add("over 256 KB");
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(line).RootElement;
        }
        catch (JsonException e)
        {
            return [$"not JSON: {e.Message}"];
        }
        if (root.ValueKind != JsonValueKind.Object) return ["the root is not an object"];
        if (!root.TryGetProperty("_aws", out var aws) || aws.ValueKind != JsonValueKind.Object) return ["no _aws object"];
        if (!aws.TryGetProperty("Timestamp", out var timestamp) || !timestamp.TryGetInt64(out var ms) || ms <= 0)
            problems.Add("_aws.Timestamp is not a positive integer of milliseconds");
        if (!aws.TryGetProperty("CloudWatchMetrics", out var directives) || directives.ValueKind != JsonValueKind.Array)
            return [.. problems, "_aws.CloudWatchMetrics is not an array"];

        foreach (var directive in directives.EnumerateArray())
        {
            if (!directive.TryGetProperty("Namespace", out var ns) || ns.ValueKind != JsonValueKind.String
                || !Namespace().IsMatch(ns.GetString()!) || ns.GetString()!.StartsWith("AWS/", StringComparison.Ordinal))
                problems.Add($"bad Namespace {directive}");
            if (!directive.TryGetProperty("Dimensions", out var sets) || sets.ValueKind != JsonValueKind.Array)
                problems.Add("Dimensions is not an array");
            else
                foreach (var set in sets.EnumerateArray())
                {
                    if (set.ValueKind != JsonValueKind.Array) { problems.Add("a dimension set is not an array"); continue; }
                    if (set.GetArrayLength() > 30) problems.Add("a dimension set has over 30 dimensions");
                    foreach (var key in set.EnumerateArray())
                    {
                        var name = key.GetString();
                        if (name is null || !root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
                            problems.Add($"dimension {name} has no string value at the root");
                        else if (value.GetString()!.Length is 0 or > 1024)
                            problems.Add($"dimension {name}'s value is empty or over 1024 characters");
                    }
                }
            if (!directive.TryGetProperty("Metrics", out var metrics) || metrics.ValueKind != JsonValueKind.Array)
            {
                problems.Add("Metrics is not an array");
                continue;
            }
            if (metrics.GetArrayLength() > 100) problems.Add("over 100 metrics in a directive");
            foreach (var metric in metrics.EnumerateArray())
            {
                var name = metric.TryGetProperty("Name", out var n) ? n.GetString() : null;
                if (name is null || name.Length is 0 or > 255) { problems.Add("a metric without a 1-255 character Name"); continue; }
                if (metric.TryGetProperty("Unit", out var unit) && !Units.Contains(unit.GetString() ?? ""))
                    problems.Add($"{name}: unit {unit} is not a CloudWatch unit");
                if (!root.TryGetProperty(name, out var value)) { problems.Add($"{name} has no value at the root"); continue; }
                var values = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToArray() : [value];
                if (values.Length is 0 or > 100) problems.Add($"{name} has {values.Length} values (1-100 allowed)");
                if (values.Any(v => v.ValueKind != JsonValueKind.Number)) problems.Add($"{name} has a value that is not a number");
            }
        }
        return problems;
    }

    /// <summary>The metric values of one line by name (a single value as an array of one).</summary>
    public static Dictionary<string, double[]> Values(string line)
    {
        var root = JsonDocument.Parse(line).RootElement;
        var names = root.GetProperty("_aws").GetProperty("CloudWatchMetrics").EnumerateArray()
            .SelectMany(d => d.GetProperty("Metrics").EnumerateArray()).Select(m => m.GetProperty("Name").GetString()!);
        return names.ToDictionary(n => n, n => root.GetProperty(n) is { ValueKind: JsonValueKind.Array } array
            ? array.EnumerateArray().Select(v => v.GetDouble()).ToArray()
            : [root.GetProperty(n).GetDouble()]);
    }
}
