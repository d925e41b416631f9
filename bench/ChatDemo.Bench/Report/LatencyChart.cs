using System.Globalization;
using System.Text;

namespace ChatDemo.Bench.Report;

/// <summary>
/// The SVG chart of a run: send-to-receive latency against offered load, one colour per server,
/// p99 as a solid line and p50 dashed; both axes logarithmic.
/// </summary>
public static class LatencyChart
{
    private const int Width = 760, Height = 440, Left = 70, Right = 150, Top = 40, Bottom = 60;
    private static readonly Dictionary<string, string> Colours = new() { ["raw"] = "#888888", ["raw-sized"] = "#2ca02c", ["signalr"] = "#d9534f", ["chatdemo"] = "#1f77b4" };

    public static string Render(BenchReport report)
    {
        var points = report.FanOut.Where(r => r.P99Ms > 0).ToList();
        var minRate = points.Count > 0 ? points.Min(p => p.OfferedRate) : 50;
        var maxRate = points.Count > 0 ? points.Max(p => p.OfferedRate) : 500;
        if (maxRate <= minRate) maxRate = minRate * 2;
        const double minMs = 1, maxMs = 10_000;
        double X(double rate) => Left + (Math.Log(rate) - Math.Log(minRate)) / (Math.Log(maxRate) - Math.Log(minRate)) * (Width - Left - Right);
        double Y(double ms) => Top + (1 - (Math.Log10(Math.Clamp(ms, minMs, maxMs)) - Math.Log10(minMs)) / (Math.Log10(maxMs) - Math.Log10(minMs))) * (Height - Top - Bottom);
        string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{Height}" viewBox="0 0 {Width} {Height}" font-family="sans-serif" font-size="12">""").AppendLine();
        svg.AppendLine("""<rect width="100%" height="100%" fill="white"/>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Left}" y="22" font-size="14">Send-to-receive latency vs offered load ({report.RoomConnections:N0} connections in one room, {report.Mode} run)</text>""").AppendLine();
        foreach (var ms in new[] { 1, 10, 100, 1000, 10000 })
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{Left}" x2="{Width - Right}" y1="{F(Y(ms))}" y2="{F(Y(ms))}" stroke="#ddd"/><text x="{Left - 8}" y="{F(Y(ms) + 4)}" text-anchor="end">{ms:N0} ms</text>""").AppendLine();
        }
        svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{Left}" x2="{Width - Right}" y1="{F(Y(500))}" y2="{F(Y(500))}" stroke="#f0ad4e" stroke-dasharray="2,3"/><text x="{Width - Right + 4}" y="{F(Y(500) + 4)}" fill="#b07000">500 ms</text>""").AppendLine();
        foreach (var rate in report.FanOut.Select(r => r.OfferedRate).Distinct().Order())
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{F(X(rate))}" x2="{F(X(rate))}" y1="{Top}" y2="{Height - Bottom}" stroke="#eee"/><text x="{F(X(rate))}" y="{Height - Bottom + 16}" text-anchor="middle">{rate}</text>""").AppendLine();
        }
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{(Left + Width - Right) / 2}" y="{Height - 18}" text-anchor="middle">offered load (messages per second; each delivered to every connection)</text>""").AppendLine();

        var legendY = Top + 10;
        foreach (var server in report.FanOut.Select(r => r.Server).Distinct())
        {
            var colour = Colours.GetValueOrDefault(server, "#2ca02c");
            var series = points.Where(p => p.Server == server).OrderBy(p => p.OfferedRate).ToList();
            foreach (var (pick, dash) in new (Func<StepResult, double>, string)[] { (p => p.P99Ms, ""), (p => p.P50Ms, " stroke-dasharray=\"6,4\"") })
            {
                var path = string.Join(' ', series.Select(p => $"{F(X(p.OfferedRate))},{F(Y(pick(p)))}"));
                svg.Append(CultureInfo.InvariantCulture, $"""<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>""").AppendLine();
            }
            foreach (var p in series)
            {
                svg.Append(CultureInfo.InvariantCulture, $"""<circle cx="{F(X(p.OfferedRate))}" cy="{F(Y(p.P99Ms))}" r="3" fill="{(p.Sustainable ? colour : "white")}" stroke="{colour}"/>""").AppendLine();
            }
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{Width - Right + 10}" x2="{Width - Right + 34}" y1="{legendY}" y2="{legendY}" stroke="{colour}" stroke-width="2"/><text x="{Width - Right + 40}" y="{legendY + 4}">{server}</text>""").AppendLine();
            legendY += 20;
        }
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Width - Right + 10}" y="{legendY + 6}" fill="#555">solid: p99</text><text x="{Width - Right + 10}" y="{legendY + 22}" fill="#555">dashed: p50</text><text x="{Width - Right + 10}" y="{legendY + 38}" fill="#555">open dot: not</text><text x="{Width - Right + 10}" y="{legendY + 52}" fill="#555">sustainable</text>""").AppendLine();
        svg.AppendLine("</svg>");
        return svg.ToString();
    }
}
