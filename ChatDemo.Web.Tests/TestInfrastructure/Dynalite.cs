using System.Diagnostics;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using ChatDemo.Web.Storage.DynamoDb;

namespace ChatDemo.Web.Tests.TestInfrastructure;

/// <summary>
/// One dynalite (a DynamoDB-compatible engine from npm) per test run, on a free loopback port,
/// started on first use and stopped when the test process exits. Tests isolate themselves with
/// unique table names. When it cannot start (Node or <c>npm ci</c> missing) every test that needs
/// it fails with a message saying what to do.
/// </summary>
public static class Dynalite
{
    private static readonly Lazy<Task<Uri>> Shared = new(StartAsync);
    private static Process? _process;

    /// <summary>The endpoint of the shared dynalite, starting it if needed.</summary>
    public static Task<Uri> EndpointAsync() => Shared.Value;

    /// <summary>A client for the shared dynalite; <paramref name="configure"/> adjusts its config (fault injection).</summary>
    public static async Task<IAmazonDynamoDB> CreateClientAsync(Action<AmazonDynamoDBConfig>? configure = null)
    {
        var config = new AmazonDynamoDBConfig
        {
            ServiceURL = (await EndpointAsync()).ToString(),
            AuthenticationRegion = DynamoDbClientFactory.LocalRegion,
        };
        configure?.Invoke(config);
        return new AmazonDynamoDBClient(new BasicAWSCredentials("local", "local"), config);
    }

    /// <summary>Table names no other test uses.</summary>
    public static DynamoDbTableNames UniqueTableNames()
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        return new DynamoDbTableNames($"Messages-{suffix}", $"Connections-{suffix}", $"Rooms-{suffix}");
    }

    /// <summary>
    /// The app's settings for the DynamoDB store on the shared dynalite, in <paramref name="tables"/>
    /// (which it creates at start); a restart on the same settings finds the same data.
    /// </summary>
    public static async Task<Dictionary<string, string?>> StoreSettingsAsync(DynamoDbTableNames tables)
    {
        return new()
        {
            ["Chat:Store"] = "DynamoDb",
            ["Chat:DynamoDb:ServiceUrl"] = (await EndpointAsync()).ToString(),
            ["Chat:DynamoDb:MessagesTable"] = tables.Messages,
            ["Chat:DynamoDb:ConnectionsTable"] = tables.Connections,
            ["Chat:DynamoDb:RoomsTable"] = tables.Rooms,
            ["Chat:DynamoDb:CreateTables"] = "true",
        };
    }

    private static async Task<Uri> StartAsync()
    {
        var root = FindRepositoryRoot();
        var module = Path.Combine(root, "node_modules", "dynalite");
        if (!File.Exists(Path.Combine(module, "package.json")))
            throw new InvalidOperationException(
                $"dynalite is not installed in {root}/node_modules: run 'npm ci' in the repository root (test.sh does it).");

        // Listening on port 0 lets the OS pick a free port with no race; the script prints it.
        const string script = """
            const dynalite = require(process.argv[1]);
            const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
            server.listen(0, '127.0.0.1', () => console.log('port ' + server.address().port));
            process.stdin.on('end', () => process.exit(0));
            process.stdin.resume();
            """;
        var (process, port) = await NodeServer.StartAsync(["-e", script, module], "port", "dynalite");
        _process = process;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
        var endpoint = new Uri($"http://127.0.0.1:{port}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await WaitUntilAnsweringAsync(endpoint, timeout.Token);
        return endpoint;
    }

    private static async Task WaitUntilAnsweringAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        using var client = new AmazonDynamoDBClient(new BasicAWSCredentials("local", "local"),
            new AmazonDynamoDBConfig { ServiceURL = endpoint.ToString(), AuthenticationRegion = DynamoDbClientFactory.LocalRegion });
        while (true)
        {
            try
            {
                await client.ListTablesAsync(cancellationToken);
                return;
            }
            catch (Exception e) when (e is AmazonServiceException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    private static void Stop()
    {
        try
        {
            if (_process is { HasExited: false } p) p.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "package.json")) && File.Exists(Path.Combine(dir.FullName, "ChatDemo.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"Cannot find the repository root (package.json beside ChatDemo.sln) above {AppContext.BaseDirectory}.");
    }
}
