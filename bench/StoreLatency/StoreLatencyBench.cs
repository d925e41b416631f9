using System.Diagnostics;
using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Configuration;
using ChatDemo.Web.Storage.DynamoDb;
using ChatDemo.Web.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace StoreLatency;

/// <summary>
/// Measures how long <see cref="IChatStore.AppendMessageAsync"/> takes from call to durable
/// result (what the sender waits for before its ack), one send at a time into one room, and then
/// the same for each change of protocol v1.1 (<see cref="IMessageChangeStore.ChangeMessageAsync"/>):
/// an edit of each of those messages, a reaction to each, a delete of each; on SQLite and on
/// DynamoDB at the URL given (dynalite in run.sh). On DynamoDB it also counts the requests each
/// operation sent, by operation name, and times AWS mode's send budget (one take per accepted
/// frame, before the append). Prints the load average before and after, since on a shared
/// machine it says how much the figures can be trusted.
/// With <c>--sockets NAME=URL,…</c> it then measures the same over a WebSocket to each running
/// ChatDemo named (<see cref="SocketLatency"/>).
/// Usage: StoreLatency [--dynamodb-url http://127.0.0.1:8000] [--count 2000] [--sockets SQLite=http://127.0.0.1:5081,…]
/// </summary>
internal static class StoreLatencyBench
{
    private const int Warmup = 200;

    public static async Task<int> Main(string[] args)
    {
        var count = int.Parse(Option(args, "--count") ?? "2000", CultureInfo.InvariantCulture);
        var dynamoDbUrl = Option(args, "--dynamodb-url");
        Console.WriteLine($"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {LoadAverage()}");

        var folder = Path.Combine(Path.GetTempPath(), "chatdemo-bench", Guid.NewGuid().ToString("N"));
        try
        {
            await using (var sqlite = new SqliteChatStore(Path.Combine(folder, "bench.db")))
            {
                await sqlite.InitializeAsync(default);
                await MeasureAsync("SQLite (WAL, synchronous=NORMAL)", sqlite, count, requests: null);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }

        if (dynamoDbUrl is not null)
        {
            var requests = new CountingHttpClientFactory();
            using var client = new AmazonDynamoDBClient(new BasicAWSCredentials("local", "local"),
                new AmazonDynamoDBConfig { ServiceURL = dynamoDbUrl, AuthenticationRegion = DynamoDbClientFactory.LocalRegion, HttpClientFactory = requests });
            var suffix = Guid.NewGuid().ToString("N")[..8];
            var tables = new DynamoDbTableNames($"BenchMessages-{suffix}", $"BenchConnections-{suffix}", $"BenchRooms-{suffix}");
            await DynamoDbTableSetup.CreateMissingAsync(client, tables, NullLogger.Instance, default);
            var store = new DynamoDbChatStore(client, tables, NullLogger<DynamoDbChatStore>.Instance);
            await MeasureAsync($"DynamoDB at {dynamoDbUrl}", store, count, requests);
            await MeasureSendBudgetsAsync($"DynamoDB at {dynamoDbUrl}", client, tables, count, requests);
        }
        foreach (var server in (Option(args, "--sockets") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var (serverName, url) = (server[..server.IndexOf('=')], server[(server.IndexOf('=') + 1)..]);
            await SocketLatency.MeasureAsync($"WebSocket, ChatDemo on {serverName}", new Uri(url), count, Warmup);
        }
        Console.WriteLine($"load average after: {LoadAverage()}");
        return 0;
    }

    /// <summary>
    /// Sends <paramref name="count"/> messages (after a warm-up), then makes one change of each
    /// kind to every one of them, kind after kind, in the order a message lives: edit, react, delete.
    /// </summary>
    private static async Task MeasureAsync<TStore>(string name, TStore store, int count, CountingHttpClientFactory? requests)
        where TStore : IChatStore, IMessageChangeStore
    {
        var sender = new ChatUser("u_bench", "Bench");
        var reactor = new ChatUser("u_other", "Other");
        await TimeAsync($"{name}, send", count, requests, i =>
        {
            var now = DateTimeOffset.UtcNow;
            return store.AppendMessageAsync(new NewMessage("bench", Ids.NewMessageId(), $"c-{i}", sender, "a benchmark message of ordinary length", now, now.AddDays(30)), default);
        });
        // Message i + 1 was sent i-th (seq = 1 … Warmup + count); each change below meets each message once.
        await TimeAsync($"{name}, edit", count, requests, i => Change(store, i, new MessageChange.Edit("an edited benchmark message"), sender));
        await TimeAsync($"{name}, react", count, requests, i => Change(store, i, new MessageChange.React("👍", Add: true), reactor));
        await TimeAsync($"{name}, delete", count, requests, i => Change(store, i, new MessageChange.Delete(), sender));
    }

    /// <summary>
    /// AWS mode's send budget (DynamoDbSendBudgets), which every accepted frame takes before it is
    /// stored, in its three cases: a full bucket (a user's first send in a while: one write), a send
    /// within a burst (a failed conditional write, then the write), and a refusal (two failed writes).
    /// </summary>
    private static async Task MeasureSendBudgetsAsync(string name, IAmazonDynamoDB client, DynamoDbTableNames tables, int count,
        CountingHttpClientFactory requests)
    {
        var spaced = new DynamoDbSendBudgets(client, tables, new ConnectionLimitOptions(), TimeProvider.System);
        await TimeAsync($"{name}, send budget, full bucket", count, requests,
            i => Taken(spaced.TryTakeAsync("bench", $"u_spaced_{i}", default), expected: true));
        // A stopped clock: nothing refills while the two other cases are timed.
        var stopped = new StoppedClock(DateTimeOffset.UtcNow);
        var bursting = new DynamoDbSendBudgets(client, tables, new ConnectionLimitOptions { SendBurst = 1_000_000, SendPerSecond = 1 }, stopped);
        await bursting.TryTakeAsync("bench", "u_burst", default);
        await TimeAsync($"{name}, send budget, within a burst", count, requests,
            _ => Taken(bursting.TryTakeAsync("bench", "u_burst", default), expected: true));
        var spent = new DynamoDbSendBudgets(client, tables, new ConnectionLimitOptions { SendBurst = 1, SendPerSecond = 1 }, stopped);
        await spent.TryTakeAsync("bench", "u_spent", default);
        await TimeAsync($"{name}, send budget, refused", count, requests,
            _ => Taken(spent.TryTakeAsync("bench", "u_spent", default), expected: false));
    }

    private static async Task<bool> Taken(Task<bool> take, bool expected) =>
        await take == expected ? expected : throw new InvalidOperationException($"the budget answered {!expected}, not {expected}: the case timed is not the one named");

    private static async Task<object> Change(IMessageChangeStore store, int i, MessageChange change, ChatUser by)
    {
        var outcome = await store.ChangeMessageAsync("bench", i + 1, change, by, DateTimeOffset.UtcNow, default);
        // A refusal or a no-op would time something other than a change.
        return outcome as ChangeOutcome.Changed ?? throw new InvalidOperationException($"{change} of {i + 1} was not applied: {outcome}");
    }

    private static async Task TimeAsync<T>(string what, int count, CountingHttpClientFactory? requests, Func<int, Task<T>> operation)
    {
        var times = new double[count];
        for (var i = 0; i < Warmup + count; i++)
        {
            if (i == Warmup) requests?.Reset();
            var started = Stopwatch.GetTimestamp();
            await operation(i);
            if (i >= Warmup) times[i - Warmup] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        Array.Sort(times);
        var calls = requests is null ? "" : "; requests each: " + string.Join(", ",
            requests.Counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value / (double)count:0.##}")));
        Report(what, times, calls);
    }

    public static void Report(string what, double[] sorted, string calls)
    {
        static double At(double[] s, double q) => s[Math.Min(s.Length - 1, (int)Math.Ceiling(q * s.Length) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: n={sorted.Length} median={At(sorted, 0.50):F2} ms p90={At(sorted, 0.90):F2} ms p99={At(sorted, 0.99):F2} ms max={sorted[^1]:F2} ms{calls}"));
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}

internal sealed class StoppedClock(DateTimeOffset at) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => at;
}
