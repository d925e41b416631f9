using System.Globalization;
using LambdaColdStart;

// Compares published apps on this machine in this run, alternating them run by run so that the
// machine's load falls on each alike: cold start (process start → first /health answered), in
// Lambda mode (behind an emulated Runtime API) and on Kestrel, and per-request overhead
// (sequential GET /health after a warm-up). Each folder holds ChatDemo.Web or the EmptyApp baseline.
if (args.Length < 1 || args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).Select(PublishedApp.Find).Any(a => a is null))
{
    Console.Error.WriteLine("usage: LambdaColdStart <published folder>... [--runs 7] [--requests 2000]");
    Console.Error.WriteLine("  each folder: `dotnet publish ChatDemo.Web -p:PublishProfile=Lambda -r linux-x64 -o DIR`, or the baseline,");
    Console.Error.WriteLine("  `dotnet publish bench/LambdaColdStart/EmptyApp -r linux-x64 -p:PublishProfileFullPath=$PWD/ChatDemo.Web/Properties/PublishProfiles/Lambda.pubxml -o DIR`");
    Console.Error.WriteLine("  (-r as the function's build step passes it, with this machine's architecture: linux-arm64 ships, this runs x64)");
    return 2;
}
var apps = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).Select(f => PublishedApp.Find(f)!).ToArray();
var runs = int.Parse(Option("--runs") ?? "7", CultureInfo.InvariantCulture);
var requests = int.Parse(Option("--requests") ?? "2000", CultureInfo.InvariantCulture);

Console.WriteLine($"load average at start: {File.ReadAllText("/proc/loadavg").Trim()}");
for (var a = 0; a < apps.Length; a++) Console.WriteLine($"app {a + 1}: {apps[a].Name} in {apps[a].Folder}");
Console.WriteLine($"cold start, {runs} runs each, alternating (wall time, and the app's CPU time by then; median, min, max in ms):");
var lambdaCold = apps.Select(_ => new List<Measure.ColdStart>()).ToArray();
var kestrelCold = apps.Select(_ => new List<Measure.ColdStart>()).ToArray();
for (var i = 0; i < runs; i++)
{
    for (var a = 0; a < apps.Length; a++) lambdaCold[a].Add(await Measure.LambdaColdStartAsync(apps[a]));
    for (var a = 0; a < apps.Length; a++) kestrelCold[a].Add(await Measure.KestrelColdStartAsync(apps[a]));
}
for (var a = 0; a < apps.Length; a++)
{
    foreach (var (mode, runsOf) in new[] { ("Lambda  (process start → first response posted)", lambdaCold[a]), ("Kestrel (process start → first 200)           ", kestrelCold[a]) })
    {
        Report($"  app {a + 1} {mode} wall", runsOf.Select(r => r.WallMs).ToList());
        Report($"  app {a + 1} {mode} CPU ", runsOf.Select(r => r.CpuMs).ToList());
    }
    Console.WriteLine($"  app {a + 1} ratio Lambda/Kestrel (medians): wall {Median(Wall(lambdaCold[a])) / Median(Wall(kestrelCold[a])):F2}, CPU {Median(Cpu(lambdaCold[a])) / Median(Cpu(kestrelCold[a])):F2}");
}
for (var a = 1; a < apps.Length; a++)
{
    Console.WriteLine($"  ratio app 1/app {a + 1} (medians): Lambda wall {Median(Wall(lambdaCold[0])) / Median(Wall(lambdaCold[a])):F2}, CPU {Median(Cpu(lambdaCold[0])) / Median(Cpu(lambdaCold[a])):F2}; " +
                      $"Kestrel wall {Median(Wall(kestrelCold[0])) / Median(Wall(kestrelCold[a])):F2}, CPU {Median(Cpu(kestrelCold[0])) / Median(Cpu(kestrelCold[a])):F2}");
    Console.WriteLine($"  ratio app 1/app {a + 1}, median of the runs' pairwise wall ratios: Lambda {Median(Wall(lambdaCold[0]).Zip(Wall(lambdaCold[a]), (x, y) => x / y).ToList()):F2}, Kestrel {Median(Wall(kestrelCold[0]).Zip(Wall(kestrelCold[a]), (x, y) => x / y).ToList()):F2}");
}

if (requests > 0)
{
    Console.WriteLine($"per request, {requests} sequential GET /health after 300 warm-up (µs: median, p99):");
    for (var a = 0; a < apps.Length; a++)
    {
        var lambdaWarm = await Measure.LambdaRequestsAsync(apps[a], requests);
        var kestrelWarm = await Measure.KestrelRequestsAsync(apps[a], requests);
        Report($"  app {a + 1} Lambda  (event queued → response posted)", lambdaWarm, micro: true);
        Report($"  app {a + 1} Kestrel (HttpClient keep-alive)         ", kestrelWarm, micro: true);
        Console.WriteLine($"  app {a + 1} ratio Lambda/Kestrel (medians): {Median(lambdaWarm) / Median(kestrelWarm):F2}");
    }
}
Console.WriteLine($"load average at end: {File.ReadAllText("/proc/loadavg").Trim()}");
return 0;

static List<double> Wall(List<Measure.ColdStart> runs) => runs.Select(r => r.WallMs).ToList();

static List<double> Cpu(List<Measure.ColdStart> runs) => runs.Select(r => r.CpuMs).ToList();

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

string? Option(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
