using System.Globalization;
using System.Text.RegularExpressions;

namespace ChatDemo.Web.Tests.Observability;

/// <summary>
/// A reader of Prometheus's text exposition format (version 0.0.4): <c># HELP</c> and
/// <c># TYPE</c> lines, and samples <c>name{label="value",…} value [timestamp]</c>. Any line that
/// is none of these fails the parse, so a scrape that is not the format fails the test.
/// </summary>
public sealed partial record PrometheusText(IReadOnlyDictionary<string, string> Types, IReadOnlyList<PrometheusSample> Samples)
{
    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>[^ ]+)( (?<ts>-?\d+))?$")]
    private static partial Regex Sample();

    [GeneratedRegex(@"\G(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(?:[^""\\]|\\.)*)"",?")]
    private static partial Regex Label();

    [GeneratedRegex(@"^# TYPE (?<name>[a-zA-Z_:][a-zA-Z0-9_:]*) (?<type>counter|gauge|histogram|summary|untyped)$")]
    private static partial Regex Type();

    [GeneratedRegex(@"^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*$")]
    private static partial Regex Help();

    public static PrometheusText Parse(string text)
    {
        var types = new Dictionary<string, string>();
        var samples = new List<PrometheusSample>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line == "# EOF") continue;
            if (Type().Match(line) is { Success: true } type)
            {
                types[type.Groups["name"].Value] = type.Groups["type"].Value;
                continue;
            }
            if (Help().IsMatch(line)) continue;
            var sample = Sample().Match(line);
            if (!sample.Success) throw new FormatException($"Not a Prometheus text line: {line}");
            var labels = new Dictionary<string, string>();
            var labelText = sample.Groups["labels"].Value;
            var at = 0;
            while (at < labelText.Length)
            {
                var label = Label().Match(labelText, at);
                if (!label.Success) throw new FormatException($"Bad labels in: {line}");
                labels[label.Groups["key"].Value] = Regex.Unescape(label.Groups["value"].Value);
                at += label.Length;
            }
            var value = sample.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                var number => double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            samples.Add(new PrometheusSample(sample.Groups["name"].Value, labels, value));
        }
        return new PrometheusText(types, samples);
    }

    public double Value(string name, params (string Key, string Value)[] labels) =>
        Samples.Single(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Key) == l.Value)).Value;
}

public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
