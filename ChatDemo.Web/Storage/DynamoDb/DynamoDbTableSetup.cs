using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using C = ChatDemo.Web.Storage.DynamoDb.DynamoDbTables.Connections;
using M = ChatDemo.Web.Storage.DynamoDb.DynamoDbTables.Messages;
using R = ChatDemo.Web.Storage.DynamoDb.DynamoDbTables.Rooms;

namespace ChatDemo.Web.Storage.DynamoDb;

/// <summary>The tables' definitions (from <see cref="DynamoDbTables"/>) and their creation on local engines.</summary>
public static class DynamoDbTableSetup
{
    public static CreateTableRequest MessagesTable(string name) => Table(name,
        [(M.PartitionKey, ScalarAttributeType.S), (M.SortKey, ScalarAttributeType.N)],
        M.ByActivityIndex, [(M.ActivityShard, ScalarAttributeType.S), (M.LastMessageAt, ScalarAttributeType.N)],
        new Projection { ProjectionType = ProjectionType.INCLUDE, NonKeyAttributes = [M.LastSeq] });

    public static CreateTableRequest ConnectionsTable(string name) => Table(name,
        [(C.PartitionKey, ScalarAttributeType.S)],
        C.ByRoomIndex, [(C.ByRoomPartitionKey, ScalarAttributeType.S), (C.ByRoomSortKey, ScalarAttributeType.S)],
        new Projection { ProjectionType = ProjectionType.ALL });

    public static CreateTableRequest RoomsTable(string name) => Table(name,
        [(R.PartitionKey, ScalarAttributeType.S), (R.SortKey, ScalarAttributeType.S)],
        R.ByMemberIndex, [(R.ByMemberPartitionKey, ScalarAttributeType.S), (R.ByMemberSortKey, ScalarAttributeType.S)],
        new Projection { ProjectionType = ProjectionType.ALL });

    /// <summary>An on-demand table with one global secondary index; keys are (partition, sort?) pairs of name and type.</summary>
    private static CreateTableRequest Table(string name, (string Name, ScalarAttributeType Type)[] key,
        string indexName, (string Name, ScalarAttributeType Type)[] indexKey, Projection projection) => new()
    {
        TableName = name,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions = key.Concat(indexKey).DistinctBy(k => k.Name).Select(k => new AttributeDefinition(k.Name, k.Type)).ToList(),
        KeySchema = KeySchema(key),
        GlobalSecondaryIndexes = [new GlobalSecondaryIndex { IndexName = indexName, KeySchema = KeySchema(indexKey), Projection = projection }],
    };

    private static List<KeySchemaElement> KeySchema((string Name, ScalarAttributeType Type)[] key) =>
        key.Select((k, i) => new KeySchemaElement(k.Name, i == 0 ? KeyType.HASH : KeyType.RANGE)).ToList();

    /// <summary>
    /// Creates whichever of the tables is missing and waits until all are active; enabling
    /// TTL is attempted and, where the engine lacks it, logged and skipped. Safe to run from
    /// several processes at once.
    /// </summary>
    public static async Task CreateMissingAsync(IAmazonDynamoDB client, DynamoDbTableNames names, ILogger logger, CancellationToken cancellationToken)
    {
        await CreateIfMissingAsync(client, MessagesTable(names.Messages), logger, cancellationToken);
        await CreateIfMissingAsync(client, ConnectionsTable(names.Connections), logger, cancellationToken);
        await CreateIfMissingAsync(client, RoomsTable(names.Rooms), logger, cancellationToken);
    }

    private static async Task CreateIfMissingAsync(IAmazonDynamoDB client, CreateTableRequest definition, ILogger logger, CancellationToken cancellationToken)
    {
        if (await GetStatusAsync(client, definition.TableName, cancellationToken) is null)
        {
            try
            {
                await client.CreateTableAsync(definition, cancellationToken);
                DynamoDbLog.TableCreated(logger, definition.TableName);
            }
            catch (ResourceInUseException)
            {
                // Another instance created it first: just wait for it below.
            }
        }
        while (await GetStatusAsync(client, definition.TableName, cancellationToken) != TableStatus.ACTIVE)
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        await EnableTimeToLiveAsync(client, definition.TableName, logger, cancellationToken);
    }

    private static async Task<TableStatus?> GetStatusAsync(IAmazonDynamoDB client, string table, CancellationToken cancellationToken)
    {
        try
        {
            return (await client.DescribeTableAsync(table, cancellationToken)).Table.TableStatus;
        }
        catch (ResourceNotFoundException)
        {
            return null;
        }
    }

    private static async Task EnableTimeToLiveAsync(IAmazonDynamoDB client, string table, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            var current = await client.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = table }, cancellationToken);
            if (current.TimeToLiveDescription?.TimeToLiveStatus is { } status
                && (status == TimeToLiveStatus.ENABLED || status == TimeToLiveStatus.ENABLING)) return;
            await client.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
            {
                TableName = table,
                TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = DynamoDbTables.TimeToLiveAttribute, Enabled = true },
            }, cancellationToken);
        }
        catch (AmazonDynamoDBException e) when (!cancellationToken.IsCancellationRequested)
        {
            // dynalite answers UnknownOperationException: a local run goes on without expiry.
            DynamoDbLog.TimeToLiveUnavailable(logger, table, e);
        }
    }
}

/// <summary>The tables the store uses (<c>Chat__DynamoDb__MessagesTable</c>, <c>…__ConnectionsTable</c>, <c>…__RoomsTable</c>).</summary>
public sealed record DynamoDbTableNames(string Messages, string Connections, string Rooms);
