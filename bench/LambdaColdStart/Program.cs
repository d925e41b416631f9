using System.Diagnostics;
using System.Globalization;
using LambdaColdStart;

// Compares the published ChatDemo.Web in Lambda mode (behind an emulated Runtime API) with the same
// binary on Kestrel, on this machine in this run: cold start (process start → first response)
// and per-request overhead (sequential GET /health, after a warm-up).
if (args.Length < 1 || !File.Exists(Path.Combine(args[0], "ChatDemo.Web.dll")))
{
    Console.Error.WriteLine("usage: LambdaColdStart <published ChatDemo.Web folder> [cold-start runs = 7] [requests = 2000]");
    return 2;
}
var app = new PublishedApp(Path.GetFullPath(args[0]));
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 7;
var requests = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2000;

Console.WriteLine($"app: {app.Folder}");
Console.WriteLine($"cold start, {runs} runs each, alternating (median, min, max in ms):");
var lambdaCold = new List<double>();
var kestrelCold = new List<double>();
for (var i = 0; i < runs; i++)
{
    lambdaCold.Add(await Measure.LambdaColdStartAsync(app));
    kestrelCold.Add(await Measure.KestrelColdStartAsync(app));
}
Report("  Lambda  (process start → first /response)", lambdaCold);
Report("  Kestrel (process start → first 200)      ", kestrelCold);
Console.WriteLine($"  ratio Lambda/Kestrel (medians): {Median(lambdaCold) / Median(kestrelCold):F2}");

Console.WriteLine($"per request, {requests} sequential GET /health after 300 warm-up (µs: median, p99):");
var lambdaWarm = await Measure.LambdaRequestsAsync(app, requests);
var kestrelWarm = await Measure.KestrelRequestsAsync(app, requests);
Report("  Lambda  (event queued → response posted)", lambdaWarm, micro: true);
Report("  Kestrel (HttpClient keep-alive)         ", kestrelWarm, micro: true);
Console.WriteLine($"  ratio Lambda/Kestrel (medians): {Median(lambdaWarm) / Median(kestrelWarm):F2}");
return 0;

static void Report(string label, List<double> values, bool micro = false)
{
    var scale = micro ? 1000 : 1;
    var sorted = values.Order().ToArray();
    var tail = micro ? sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(sorted.Length * 0.99) - 1)] : sorted[^1];
    Console.WriteLine(micro
        ? $"{label}: {Median(values) * scale:F0} µs, p99 {tail * scale:F0} µs"
        : $"{label}: {Median(values):F0} ms (min {sorted[0]:F0}, max {sorted[^1]:F0})");
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}
