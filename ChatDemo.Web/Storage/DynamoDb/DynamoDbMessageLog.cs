using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using ChatDemo.Web.Chat;
using static ChatDemo.Web.Storage.DynamoDb.DynamoDbMessageItem;
using static ChatDemo.Web.Storage.DynamoDb.DynamoDbValues;
using M = ChatDemo.Web.Storage.DynamoDb.DynamoDbTables.Messages;

namespace ChatDemo.Web.Storage.DynamoDb;

/// <summary>
/// Messages on DynamoDB without transactions. A send is: read the claim of (room, sender,
/// clientMessageId); if none, take the room's next seq from its counter, write the claim bound
/// to that seq (only if no claim exists), then write the message at the claim's seq (only if
/// that slot is empty). Every step is a single-item conditional or atomic write, so a crash
/// between any two of them leaves a state that a retry completes; docs/dynamodb.md walks
/// through each case.
/// </summary>
internal sealed class DynamoDbMessageLog(IAmazonDynamoDB client, string table)
{
    public async Task<AppendResult> AppendAsync(NewMessage message, CancellationToken cancellationToken)
    {
        var claimKey = DynamoDbItemKeys.Claim(message.Room, message.Sender.Id, message.ClientMessageId);
        var claim = await ReadClaimAsync(message.Room, claimKey, cancellationToken);
        if (claim is null)
        {
            var seq = await NextSeqAsync(message, cancellationToken);
            claim = await ClaimAsync(claimKey, message, seq, cancellationToken);
        }
        var written = await WriteMessageAsync(claim, cancellationToken);
        return new AppendResult(claim.Message, Duplicate: !written);
    }

    /// <summary>The claim, read strongly consistent so that an acknowledged send is always seen.</summary>
    private async Task<Claim?> ReadClaimAsync(string room, string claimKey, CancellationToken cancellationToken)
    {
        var response = await client.GetItemAsync(new GetItemRequest
        {
            TableName = table,
            Key = Key(claimKey, DynamoDbItemKeys.CounterSeq),
            ConsistentRead = true,
        }, cancellationToken);
        return response.Item is { Count: > 0 } item ? ReadClaim(room, item) : null;
    }

    /// <summary>
    /// Atomic increment of the room's counter item (seq 0), created on first use. The same write
    /// records the room's latest activity in the activity index (the room list's "last message"),
    /// so a room is listed from its first seq on, with no request of its own and nothing a crash
    /// could leave half done. Two sends racing may set it in either order: it is right within them.
    /// </summary>
    private async Task<long> NextSeqAsync(NewMessage message, CancellationToken cancellationToken)
    {
        var response = await client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = Key(message.Room, DynamoDbItemKeys.CounterSeq),
            UpdateExpression = "ADD #last :one SET #shard = :shard, #at = :at",
            ExpressionAttributeNames = new() { ["#last"] = M.LastSeq, ["#shard"] = M.ActivityShard, ["#at"] = M.LastMessageAt },
            ExpressionAttributeValues = new()
            {
                [":one"] = Number(1),
                [":shard"] = new() { S = DynamoDbItemKeys.ActivityShard(message.Room) },
                [":at"] = Number(message.SentAt.ToUnixTimeMilliseconds()),
            },
            ReturnValues = ReturnValue.UPDATED_NEW,
        }, cancellationToken);
        return Long(response.Attributes[M.LastSeq]);
    }

    /// <summary>
    /// Writes the claim bound to <paramref name="seq"/> unless one exists. When a concurrent
    /// retry of the same send won, its claim is the one that counts (and <paramref name="seq"/>
    /// stays unused: protocol.md allows that only for faults, and this is one).
    /// </summary>
    private async Task<Claim> ClaimAsync(string claimKey, NewMessage message, long seq, CancellationToken cancellationToken)
    {
        var claim = new Claim(
            new ChatMessage(message.Room, seq, message.Id, message.ClientMessageId, message.Sender, message.Text, ChatTime.Truncate(message.SentAt))
            {
                ReplyTo = message.ReplyTo,
            },
            message.ExpiresAt.ToUnixTimeSeconds());
        var item = Attributes(claim.Message, claim.ExpiresAtSeconds);
        item[M.PartitionKey] = new AttributeValue { S = claimKey };
        item[M.SortKey] = Number(DynamoDbItemKeys.CounterSeq);
        item[M.ClaimedSeq] = Number(seq);
        if (await client.PutIfAbsentAsync(table, item, M.PartitionKey, cancellationToken)) return claim;
        return await ReadClaimAsync(message.Room, claimKey, cancellationToken)
            ?? throw new InvalidOperationException("A claim that blocked a write cannot be read back.");
    }

    /// <summary>
    /// Writes the claimed message at its seq unless the slot is taken; false when it was. Only
    /// holders of this claim ever write that slot (the counter handed its seq out once), so a
    /// taken slot holds this very message.
    /// </summary>
    private Task<bool> WriteMessageAsync(Claim claim, CancellationToken cancellationToken) =>
        client.PutIfAbsentAsync(table, Item(claim.Message, claim.ExpiresAtSeconds), M.SortKey, cancellationToken);

    public async Task<MessagePage> GetPageAsync(string room, HistoryQuery query, CancellationToken cancellationToken)
    {
        // Messages are seq ≥ 1; seq 0 is the room's counter and is never part of a page.
        var (condition, low, high, forward) = query switch
        {
            { After: { } after } => ("#room = :room AND #seq > :low", after, (long?)null, true),
            { Before: { } before } => ("#room = :room AND #seq BETWEEN :low AND :high", 1L, before - 1, false),
            _ => ("#room = :room AND #seq >= :low", 1L, (long?)null, false),
        };
        if (high < low) return new MessagePage([], HasMore: false);

        var values = new Dictionary<string, AttributeValue> { [":room"] = new() { S = room }, [":low"] = Number(low) };
        if (high is { } h) values[":high"] = Number(h);
        // One more than asked tells whether there are more; a page cut short by DynamoDB's 1 MB
        // limit is continued by the paginator until that many have been read.
        var take = query.Limit + 1;
        var messages = new List<ChatMessage>(take);
        var pages = client.Paginators.Query(new QueryRequest
        {
            TableName = table,
            KeyConditionExpression = condition,
            ExpressionAttributeNames = new() { ["#room"] = M.PartitionKey, ["#seq"] = M.SortKey },
            ExpressionAttributeValues = values,
            ScanIndexForward = forward,
            Limit = take,
            ConsistentRead = true,
        });
        await foreach (var page in pages.Responses.WithCancellation(cancellationToken))
        {
            messages.AddRange((page.Items ?? []).Take(take - messages.Count).Select(item => Read(item)));
            if (messages.Count == take) break;
        }

        var hasMore = messages.Count > query.Limit;
        if (hasMore) messages.RemoveAt(messages.Count - 1);
        if (!forward) messages.Reverse();
        return new MessagePage(messages, hasMore);
    }

    public async Task CheckHealthAsync(CancellationToken cancellationToken) =>
        await client.GetItemAsync(new GetItemRequest { TableName = table, Key = Key("#health", DynamoDbItemKeys.CounterSeq) }, cancellationToken);

    private static Claim ReadClaim(string room, Dictionary<string, AttributeValue> item) =>
        new(Read(item, room, Long(item[M.ClaimedSeq])), ExpiresAtSeconds(item));

    /// <summary>A claimed send: the message as first sent, bound to its seq, and its expiry.</summary>
    private sealed record Claim(ChatMessage Message, long ExpiresAtSeconds);
}
