using System.Diagnostics;
using System.Globalization;
using System.Text;
using Amazon;
using Amazon.Runtime;
using ChatDemo.Web.Aws;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Configuration;
using ChatDemo.Web.Delivery;
using ChatDemo.Web.Storage.Sqlite;
using DeliveryBatchBench;

// How long the function takes for one delivery batch of the workflow (100 connections) when every
// PostToConnection costs a fixed delay: the real BatchDelivery, ApiGatewayConnectionSender and
// ApiGatewayManagementClient (SigV4-signed HttpClient, 16 posts in flight), against a loopback fake.
// Usage: DeliveryBatch [--delays 0,10,20] [--runs 15] [--batch 100]
var delays = (Option("--delays") ?? "0,10,20").Split(',').Select(d => int.Parse(d, CultureInfo.InvariantCulture)).ToArray();
var runs = int.Parse(Option("--runs") ?? "15", CultureInfo.InvariantCulture);
var size = int.Parse(Option("--batch") ?? "100", CultureInfo.InvariantCulture);

await using var fake = await ManagementApiFake.StartAsync();
var folder = Directory.CreateTempSubdirectory("chatdemo-delivery-bench");
try
{
    await using var services = BuildServices(fake.ManagementEndpoint, Path.Combine(folder.FullName, "bench.db"));
    var delivery = services.GetRequiredService<BatchDelivery>();
    ReadOnlyMemory<byte> frame = ServerFrames.Message(new ChatMessage("lobby", 42, "m_bench", "c_bench", new ChatUser("u_bench", "Bench"),
        new string('x', 100), DateTimeOffset.UtcNow));
    fake.ExpectedFrame = frame.ToArray();
    var ids = Enumerable.Range(0, size).Select(i => $"Conn{i:D4}AbCdEfG=").ToArray();

    Console.WriteLine($"load average at start: {File.ReadAllText("/proc/loadavg").Trim()}");
    Console.WriteLine($"delivery batch of {size} connections, {BatchDelivery.MaxConcurrency} posts in flight, {runs} runs per delay after one cold batch (ms)");
    Console.WriteLine($"{"delay per post",-16}{"cold batch",12}{"median",10}{"min",10}{"max",10}{"floor ⌈n/16⌉×d",18}");
    foreach (var delay in delays)
    {
        fake.Delay = TimeSpan.FromMilliseconds(delay);
        var cold = delay == delays[0] ? await TimeBatchAsync() : double.NaN;
        var times = new List<double>();
        for (var i = 0; i < runs; i++) times.Add(await TimeBatchAsync());
        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{delay + " ms",-16}{(double.IsNaN(cold) ? "-" : cold.ToString("F1", CultureInfo.InvariantCulture)),12}{Median(times),10:F1}{times[0],10:F1}{times[^1],10:F1}{Math.Ceiling(size / (double)BatchDelivery.MaxConcurrency) * delay,18:F0}"));
    }
    if (!fake.Errors.IsEmpty)
    {
        Console.Error.WriteLine($"the fake refused {fake.Errors.Count} posts, first: {fake.Errors.First()}");
        return 1;
    }
    return 0;

    async Task<double> TimeBatchAsync()
    {
        fake.Posted.Clear();
        var started = Stopwatch.GetTimestamp();
        var report = await delivery.DeliverAsync(new DeliveryBatch("lobby", frame, null, ids), CancellationToken.None);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (report.Delivered != size || fake.Posted.Distinct().Count() != size)
            throw new InvalidOperationException($"delivered {report.Delivered}, the fake saw {fake.Posted.Distinct().Count()} distinct posts; expected {size}");
        return elapsed;
    }
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    folder.Delete(recursive: true);
}

// The app's own registrations in AWS fan-out mode, signing with fixed credentials.
static ServiceProvider BuildServices(Uri managementEndpoint, string sqlitePath)
{
    var builder = Host.CreateApplicationBuilder();
    builder.Logging.ClearProviders();
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Chat:FanOut"] = FanOutKinds.EventBridge,
        ["Chat:EventBridge:BusName"] = "bench",
        ["Chat:ApiGateway:ManagementEndpoint"] = managementEndpoint.AbsoluteUri,
        ["Chat:Sqlite:Path"] = sqlitePath,
        ["Chat:Sessions:SigningKey"] = new string('k', 48),
        ["AWS_REGION"] = "us-east-1",
    });
    builder.Services.AddChatOptions(builder.Configuration);
    builder.Services.AddSingleton(TimeProvider.System);
    // As the composition root registers AWS fan-out mode (Program.cs), with the SQLite store.
    builder.Services.AddSqliteStore();
    builder.Services.AddChat();
    builder.Services.AddAwsFanOut(builder.Configuration).AddDelivery();
    builder.Services.AddSingleton(new AwsSigningIdentity(new BasicAWSCredentials("AKIDBENCH", "bench-secret"), RegionEndpoint.USEast1));
    return (ServiceProvider)builder.Build().Services;
}

static double Median(List<double> sorted) =>
    sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;

string? Option(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
