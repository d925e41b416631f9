using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using ChatDemo.Web.Chat;
using static ChatDemo.Web.Storage.DynamoDb.DynamoDbValues;
using C = ChatDemo.Web.Storage.DynamoDb.DynamoDbTables.Connections;

namespace ChatDemo.Web.Storage.DynamoDb;

/// <summary>
/// Connections on DynamoDB. Each connection is one item (the only items with a <c>room</c>, so
/// the ByRoom index lists exactly a room's connections for presence and the fan-out workflow).
/// Whether a user came online or went offline is decided on one presence item per (room, user)
/// holding the set of their connection ids: set ADD/DELETE are atomic and idempotent, so two tabs
/// opening or closing at once yield exactly one "first" and one "last".
/// </summary>
internal sealed class DynamoDbConnectionTable(IAmazonDynamoDB client, string table, ILogger logger)
{
    /// <summary>
    /// API Gateway closes a connection after 2 hours; ten minutes more lets a <c>$disconnect</c>
    /// that arrives late still find its item, and TTL removes the ones that never arrive.
    /// </summary>
    public static readonly TimeSpan TimeToLive = TimeSpan.FromHours(2) + TimeSpan.FromMinutes(10);

    // The connection item is written before the user's presence set learns of it, and deleted
    // before the set forgets it: a set member whose item is gone is dead and may be pruned.
    public async Task<bool> AddAsync(ChatConnection connection, CancellationToken cancellationToken)
    {
        var expiresAt = Number(connection.ConnectedAt.Add(TimeToLive).ToUnixTimeSeconds());
        var item = new Dictionary<string, AttributeValue>
        {
            [C.PartitionKey] = new() { S = connection.ConnectionId },
            [C.ByRoomPartitionKey] = new() { S = connection.Room },
            [C.UserId] = new() { S = connection.User.Id },
            [C.UserName] = new() { S = connection.User.Name },
            [C.ConnectedAt] = Number(connection.ConnectedAt.ToUnixTimeMilliseconds()),
            [DynamoDbTables.TimeToLiveAttribute] = expiresAt,
        };
        if (connection.Admin) item[C.Admin] = new() { BOOL = true };
        // Already recorded (false) is fine: carrying on lets a retry after a crash complete the presence step.
        await client.PutIfAbsentAsync(table, item, C.PartitionKey, cancellationToken);

        var presenceKey = DynamoDbItemKeys.Presence(connection.Room, connection.User.Id);
        var response = await client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = Key(presenceKey),
            UpdateExpression = "ADD #ids :id SET #name = :name, #ttl = :ttl",
            ExpressionAttributeNames = new() { ["#ids"] = C.PresentConnectionIds, ["#name"] = C.UserName, ["#ttl"] = DynamoDbTables.TimeToLiveAttribute },
            ExpressionAttributeValues = new() { [":id"] = new() { SS = [connection.ConnectionId] }, [":name"] = new() { S = connection.User.Name }, [":ttl"] = expiresAt },
            ReturnValues = ReturnValue.UPDATED_OLD,
        }, cancellationToken);
        var before = Members(response.Attributes);
        if (before.Count == 0) return true;
        if (before.Contains(connection.ConnectionId)) return false;
        var (_, dead) = await CheckLivenessAsync(before, cancellationToken);
        if (dead.Count > 0) await PruneAsync(connection.Room, connection.User.Id, dead, cancellationToken);
        return dead.Count == before.Count;
    }

    public async Task<RemovedConnection?> RemoveAsync(string connectionId, CancellationToken cancellationToken)
    {
        ChatConnection removed;
        try
        {
            var response = await client.DeleteItemAsync(new DeleteItemRequest
            {
                TableName = table,
                Key = Key(connectionId),
                ConditionExpression = "attribute_exists(#room)",
                ExpressionAttributeNames = new() { ["#room"] = C.ByRoomPartitionKey },
                ReturnValues = ReturnValue.ALL_OLD,
            }, cancellationToken);
            removed = ReadConnection(response.Attributes);
        }
        catch (ConditionalCheckFailedException)
        {
            return null;
        }

        var before = await RemoveMembersAsync(removed.Room, removed.User.Id, [connectionId], cancellationToken);
        return new RemovedConnection(removed, await EmptiedAsync(removed.Room, removed.User.Id, before, [connectionId], cancellationToken));
    }

    /// <summary>
    /// Whether the set operation that removed <paramref name="removedIds"/> from <paramref name="before"/>
    /// is the one that left the user without a live connection. Exactly one operation sees the set
    /// go empty, so exactly one caller reports the user offline. Members whose connection item is
    /// gone (TTL, or a crash between the two deletes) are dead: they are pruned by a further set
    /// operation, which then decides the same way.
    /// </summary>
    private async Task<bool> EmptiedAsync(string room, string userId, List<string> before, List<string> removedIds, CancellationToken cancellationToken)
    {
        // Someone else took these members out (a pruner), and answered for them.
        if (!before.Any(removedIds.Contains)) return false;
        var remaining = before.Except(removedIds).ToList();
        if (remaining.Count == 0) return true;

        var (live, dead) = await CheckLivenessAsync(remaining, cancellationToken);
        if (dead.Count == 0) return false;
        var beforePrune = await PruneAsync(room, userId, dead, cancellationToken);
        return live.Count == 0 && beforePrune.Count > 0 && beforePrune.All(dead.Contains);
    }

    private async Task<List<string>> PruneAsync(string room, string userId, List<string> dead, CancellationToken cancellationToken)
    {
        DynamoDbLog.PrunedPresence(logger, dead.Count, room, userId);
        return await RemoveMembersAsync(room, userId, dead, cancellationToken);
    }

    /// <summary>Takes ids out of the user's presence set; returns the set as it was before.</summary>
    private async Task<List<string>> RemoveMembersAsync(string room, string userId, List<string> ids, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = table,
                Key = Key(DynamoDbItemKeys.Presence(room, userId)),
                UpdateExpression = "DELETE #ids :ids",
                // Without it a DELETE on a missing item would create an empty presence item.
                ConditionExpression = "attribute_exists(#ids)",
                ExpressionAttributeNames = new() { ["#ids"] = C.PresentConnectionIds },
                ExpressionAttributeValues = new() { [":ids"] = new() { SS = ids } },
                ReturnValues = ReturnValue.UPDATED_OLD,
            }, cancellationToken);
            return Members(response.Attributes);
        }
        catch (ConditionalCheckFailedException)
        {
            return [];
        }
    }

    /// <summary>Splits set members into those whose connection item exists and those whose item is gone.</summary>
    private async Task<(List<string> Live, List<string> Dead)> CheckLivenessAsync(List<string> members, CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(members.Select(async id => (id, alive: await ExistsAsync(id, cancellationToken))));
        return (results.Where(r => r.alive).Select(r => r.id).ToList(), results.Where(r => !r.alive).Select(r => r.id).ToList());
    }

    private async Task<bool> ExistsAsync(string connectionId, CancellationToken cancellationToken)
    {
        var response = await client.GetItemAsync(new GetItemRequest
        {
            TableName = table,
            Key = Key(connectionId),
            ProjectionExpression = "#room",
            ExpressionAttributeNames = new() { ["#room"] = C.ByRoomPartitionKey },
            ConsistentRead = true,
        }, cancellationToken);
        return response.Item is { Count: > 0 };
    }

    public async Task<ChatConnection?> GetAsync(string connectionId, CancellationToken cancellationToken)
    {
        var response = await client.GetItemAsync(new GetItemRequest { TableName = table, Key = Key(connectionId), ConsistentRead = true }, cancellationToken);
        return response.Item is { } item && item.ContainsKey(C.ByRoomPartitionKey) ? ReadConnection(item) : null;
    }

    /// <summary>
    /// From the user's presence item and their connection items, all read consistently (the ByRoom
    /// index could still miss a connection made a moment ago), oldest first. Set members whose item
    /// is gone are dead and left out.
    /// </summary>
    public async Task<IReadOnlyList<ChatConnection>> GetUserConnectionsAsync(string room, string userId, CancellationToken cancellationToken)
    {
        var presence = await client.GetItemAsync(new GetItemRequest
        {
            TableName = table,
            Key = Key(DynamoDbItemKeys.Presence(room, userId)),
            ConsistentRead = true,
        }, cancellationToken);
        var connections = await Task.WhenAll(Members(presence.Item).Select(id => GetAsync(id, cancellationToken)));
        return connections
            .OfType<ChatConnection>()
            .Where(c => c.Room == room && c.User.Id == userId)
            .OrderBy(c => c.ConnectedAt)
            .ThenBy(c => c.ConnectionId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>From the ByRoom index (eventually consistent on AWS), oldest first.</summary>
    public async Task<IReadOnlyList<ChatConnection>> ListRoomAsync(string room, CancellationToken cancellationToken)
    {
        var connections = new List<ChatConnection>();
        var pages = client.Paginators.Query(new QueryRequest
        {
            TableName = table,
            IndexName = C.ByRoomIndex,
            KeyConditionExpression = "#room = :room",
            ExpressionAttributeNames = new() { ["#room"] = C.ByRoomPartitionKey },
            ExpressionAttributeValues = new() { [":room"] = new() { S = room } },
        });
        await foreach (var page in pages.Responses.WithCancellation(cancellationToken))
            connections.AddRange((page.Items ?? []).Select(ReadConnection));
        return connections
            .OrderBy(c => c.ConnectedAt)
            .ThenBy(c => c.ConnectionId, StringComparer.Ordinal)
            .ToList();
    }

    public async Task<IReadOnlyList<PresentUser>> GetPresenceAsync(string room, CancellationToken cancellationToken) =>
        (await ListRoomAsync(room, cancellationToken))
            .GroupBy(c => c.User.Id, StringComparer.Ordinal)
            .Select(g => new PresentUser(g.Key, g.Select(c => c.User.Name).Min(StringComparer.Ordinal)!, g.Min(c => c.ConnectedAt)))
            .OrderBy(u => u.OnlineSince)
            .ThenBy(u => u.Id, StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// Scans for connection items older than <paramref name="connectedBefore"/> and removes each
    /// as a disconnect would. A scan, but a rare one: at start in Kestrel mode, and for clean-up.
    /// </summary>
    public async Task<IReadOnlyList<RemovedConnection>> RemoveStaleAsync(DateTimeOffset connectedBefore, CancellationToken cancellationToken)
    {
        var stale = new List<string>();
        var pages = client.Paginators.Scan(new ScanRequest
        {
            TableName = table,
            FilterExpression = "attribute_exists(#room) AND #at < :before",
            ProjectionExpression = "#id",
            ExpressionAttributeNames = new() { ["#room"] = C.ByRoomPartitionKey, ["#at"] = C.ConnectedAt, ["#id"] = C.PartitionKey },
            ExpressionAttributeValues = new() { [":before"] = Number(connectedBefore.ToUnixTimeMilliseconds()) },
            ConsistentRead = true,
        });
        await foreach (var page in pages.Responses.WithCancellation(cancellationToken))
            stale.AddRange((page.Items ?? []).Select(item => item[C.PartitionKey].S));

        var removed = new List<RemovedConnection>(stale.Count);
        foreach (var id in stale)
        {
            if (await RemoveAsync(id, cancellationToken) is { } r) removed.Add(r);
        }
        return removed;
    }

    public async Task CheckHealthAsync(CancellationToken cancellationToken) =>
        await client.GetItemAsync(new GetItemRequest { TableName = table, Key = Key("#health") }, cancellationToken);

    private static Dictionary<string, AttributeValue> Key(string id) => new() { [C.PartitionKey] = new() { S = id } };

    private static List<string> Members(Dictionary<string, AttributeValue>? attributes) =>
        attributes is not null && attributes.TryGetValue(C.PresentConnectionIds, out var ids) && ids.SS is { } set ? set : [];

    private static ChatConnection ReadConnection(Dictionary<string, AttributeValue> item) => new(
        item[C.PartitionKey].S,
        item[C.ByRoomPartitionKey].S,
        new ChatUser(item[C.UserId].S, item[C.UserName].S),
        DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(item[C.ConnectedAt].N, CultureInfo.InvariantCulture)))
    {
        Admin = item.TryGetValue(C.Admin, out var admin) && admin.BOOL == true,
    };
}
