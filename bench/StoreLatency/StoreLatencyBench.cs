using System.Diagnostics;
using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Storage.DynamoDb;
using ChatDemo.Web.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace StoreLatency;

/// <summary>
/// Measures how long <see cref="IChatStore.AppendMessageAsync"/> takes from call to durable
/// result (what the sender waits for before its ack), one send at a time into one room, and then
/// the same for an edit of each of those messages (<see cref="IMessageChangeStore.ChangeMessageAsync"/>,
/// protocol v1.1), on SQLite and on DynamoDB at the URL given (dynalite in run.sh).
/// Usage: StoreLatency [--dynamodb-url http://127.0.0.1:8000] [--count 2000]
/// </summary>
internal static class StoreLatencyBench
{
    private const int Warmup = 200;

    public static async Task<int> Main(string[] args)
    {
        var count = int.Parse(Option(args, "--count") ?? "2000", CultureInfo.InvariantCulture);
        var dynamoDbUrl = Option(args, "--dynamodb-url");

        var folder = Path.Combine(Path.GetTempPath(), "chatdemo-bench", Guid.NewGuid().ToString("N"));
        try
        {
            await using (var sqlite = new SqliteChatStore(Path.Combine(folder, "bench.db")))
            {
                await sqlite.InitializeAsync(default);
                await MeasureAsync("SQLite (WAL, synchronous=NORMAL)", sqlite, count);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }

        if (dynamoDbUrl is not null)
        {
            using var client = new AmazonDynamoDBClient(new BasicAWSCredentials("local", "local"),
                new AmazonDynamoDBConfig { ServiceURL = dynamoDbUrl, AuthenticationRegion = DynamoDbClientFactory.LocalRegion });
            var suffix = Guid.NewGuid().ToString("N")[..8];
            var tables = new DynamoDbTableNames($"BenchMessages-{suffix}", $"BenchConnections-{suffix}");
            await DynamoDbTableSetup.CreateMissingAsync(client, tables, NullLogger.Instance, default);
            var store = new DynamoDbChatStore(client, tables, NullLogger<DynamoDbChatStore>.Instance);
            await MeasureAsync($"DynamoDB at {dynamoDbUrl}", store, count);
        }
        return 0;
    }

    private static async Task MeasureAsync<TStore>(string name, TStore store, int count) where TStore : IChatStore, IMessageChangeStore
    {
        var sender = new ChatUser("u_bench", "Bench");
        var sends = new double[count];
        for (var i = -Warmup; i < count; i++)
        {
            var now = DateTimeOffset.UtcNow;
            var message = new NewMessage("bench", Ids.NewMessageId(), $"c-{i + Warmup}", sender, "a benchmark message of ordinary length", now, now.AddDays(30));
            var started = Stopwatch.GetTimestamp();
            await store.AppendMessageAsync(message, default);
            if (i >= 0) sends[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        Array.Sort(sends);
        Report($"{name}, send", sends);

        // Each message sent above edited once, the warm-up's first (seq = 1 … Warmup).
        var edits = new double[count];
        for (var i = -Warmup; i < count; i++)
        {
            var seq = i + Warmup + 1;
            var started = Stopwatch.GetTimestamp();
            await store.ChangeMessageAsync("bench", seq, new MessageChange.Edit("an edited benchmark message"), sender, DateTimeOffset.UtcNow, default);
            if (i >= 0) edits[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        Array.Sort(edits);
        Report($"{name}, edit", edits);
    }

    private static void Report(string store, double[] sorted)
    {
        static double At(double[] s, double q) => s[Math.Min(s.Length - 1, (int)Math.Ceiling(q * s.Length) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{store}: n={sorted.Length} median={At(sorted, 0.50):F2} ms p99={At(sorted, 0.99):F2} ms max={sorted[^1]:F2} ms"));
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
