using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace ChatDemo.Web.Storage.DynamoDb;

/// <summary>The tables' definitions (from <see cref="DynamoDbTables"/>) and their creation on local engines.</summary>
public static class DynamoDbTableSetup
{
    public static CreateTableRequest MessagesTable(string name) => new()
    {
        TableName = name,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions =
        [
            new AttributeDefinition(DynamoDbTables.Messages.PartitionKey, ScalarAttributeType.S),
            new AttributeDefinition(DynamoDbTables.Messages.SortKey, ScalarAttributeType.N),
        ],
        KeySchema =
        [
            new KeySchemaElement(DynamoDbTables.Messages.PartitionKey, KeyType.HASH),
            new KeySchemaElement(DynamoDbTables.Messages.SortKey, KeyType.RANGE),
        ],
    };

    public static CreateTableRequest ConnectionsTable(string name) => new()
    {
        TableName = name,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions =
        [
            new AttributeDefinition(DynamoDbTables.Connections.PartitionKey, ScalarAttributeType.S),
            new AttributeDefinition(DynamoDbTables.Connections.ByRoomPartitionKey, ScalarAttributeType.S),
        ],
        KeySchema = [new KeySchemaElement(DynamoDbTables.Connections.PartitionKey, KeyType.HASH)],
        GlobalSecondaryIndexes =
        [
            new GlobalSecondaryIndex
            {
                IndexName = DynamoDbTables.Connections.ByRoomIndex,
                KeySchema =
                [
                    new KeySchemaElement(DynamoDbTables.Connections.ByRoomPartitionKey, KeyType.HASH),
                    new KeySchemaElement(DynamoDbTables.Connections.ByRoomSortKey, KeyType.RANGE),
                ],
                Projection = new Projection { ProjectionType = ProjectionType.ALL },
            },
        ],
    };

    /// <summary>
    /// Creates whichever of the two tables is missing and waits until both are active; enabling
    /// TTL is attempted and, where the engine lacks it, logged and skipped. Safe to run from
    /// several processes at once.
    /// </summary>
    public static async Task CreateMissingAsync(IAmazonDynamoDB client, DynamoDbTableNames names, ILogger logger, CancellationToken cancellationToken)
    {
        await CreateIfMissingAsync(client, MessagesTable(names.Messages), logger, cancellationToken);
        await CreateIfMissingAsync(client, ConnectionsTable(names.Connections), logger, cancellationToken);
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

/// <summary>The two tables the store uses (<c>Chat__DynamoDb__MessagesTable</c>, <c>…__ConnectionsTable</c>).</summary>
public sealed record DynamoDbTableNames(string Messages, string Connections);
