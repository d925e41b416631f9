using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using ChatDemo.Web.Storage.DynamoDb;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatDemo.Web.Tests.TestInfrastructure;

/// <summary>
/// One test's own tables on the shared <see cref="Dynalite"/>, created from the store's
/// definitions: a client for them, stores on them (plain, or with every request recorded and
/// failable), and raw reads of their items, for the checks only DynamoDB's layout allows.
/// </summary>
public sealed class DynaliteTables : IAsyncDisposable
{
    private readonly List<IAmazonDynamoDB> _faultyClients = [];

    private DynaliteTables(IAmazonDynamoDB client) => Client = client;

    public DynamoDbTableNames Names { get; } = Dynalite.UniqueTableNames();

    public IAmazonDynamoDB Client { get; }

    public static async Task<DynaliteTables> CreateAsync()
    {
        var tables = new DynaliteTables(await Dynalite.CreateClientAsync());
        await DynamoDbTableSetup.CreateMissingAsync(tables.Client, tables.Names, NullLogger.Instance, default);
        return tables;
    }

    public DynamoDbChatStore Store() => new(Client, Names, NullLogger<DynamoDbChatStore>.Instance);

    /// <summary>A store on the same tables whose requests are recorded and can be made to fail; the SDK does not retry.</summary>
    public async Task<(DynamoDbChatStore Store, FaultInjectingHttpClientFactory Faults)> FaultyStoreAsync()
    {
        var (client, faults) = await FaultyClientAsync();
        return (new DynamoDbChatStore(client, Names, NullLogger<DynamoDbChatStore>.Instance), faults);
    }

    /// <summary>A client whose requests are recorded and can be made to fail; the SDK does not retry.</summary>
    public async Task<(IAmazonDynamoDB Client, FaultInjectingHttpClientFactory Faults)> FaultyClientAsync()
    {
        var faults = new FaultInjectingHttpClientFactory();
        var client = await Dynalite.CreateClientAsync(config =>
        {
            config.HttpClientFactory = faults;
            config.MaxErrorRetry = 0;
        });
        lock (_faultyClients) _faultyClients.Add(client);
        return (client, faults);
    }

    /// <summary>An item as stored (consistent read), or null.</summary>
    public async Task<Dictionary<string, AttributeValue>?> GetRawAsync(string table, Dictionary<string, AttributeValue> key)
    {
        var response = await Client.GetItemAsync(new GetItemRequest { TableName = table, Key = key, ConsistentRead = true });
        return response.Item is { Count: > 0 } item ? item : null;
    }

    public static Dictionary<string, AttributeValue> MessageKey(string partition, long seq) => new()
    {
        [DynamoDbTables.Messages.PartitionKey] = new AttributeValue { S = partition },
        [DynamoDbTables.Messages.SortKey] = new AttributeValue { N = seq.ToString(CultureInfo.InvariantCulture) },
    };

    public static Dictionary<string, AttributeValue> ConnectionKey(string id) => new()
    {
        [DynamoDbTables.Connections.PartitionKey] = new AttributeValue { S = id },
    };

    public static Dictionary<string, AttributeValue> RoomsKey(string partition, string sort) => new()
    {
        [DynamoDbTables.Rooms.PartitionKey] = new AttributeValue { S = partition },
        [DynamoDbTables.Rooms.SortKey] = new AttributeValue { S = sort },
    };

    public static long Long(AttributeValue value) => long.Parse(value.N, CultureInfo.InvariantCulture);

    public ValueTask DisposeAsync()
    {
        Client.Dispose();
        foreach (var client in _faultyClients) client.Dispose();
        return ValueTask.CompletedTask;
    }
}
