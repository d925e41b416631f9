using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using ChatDemo.Web.Chat;
using static ChatDemo.Web.Storage.DynamoDb.DynamoDbMessageItem;
using static ChatDemo.Web.Storage.DynamoDb.DynamoDbValues;
using M = ChatDemo.Web.Storage.DynamoDb.DynamoDbTables.Messages;

namespace ChatDemo.Web.Storage.DynamoDb;

/// <summary>
/// Changes to stored messages without transactions (docs/dynamodb.md, "Changing a message"). A
/// change reads the message, takes the room's next revision (ADD on the counter item), records the
/// revision (a change record, written only if absent), then writes the next state only if the
/// version is still the one it read; any failed condition sends it round again on the state that
/// won. A reader settles the revisions it is about to report: it voids a revision nobody recorded
/// and fences a recorded change that has not reached its message, so that no change numbered at
/// or below a reported revision can land later.
/// </summary>
internal sealed class DynamoDbMessageChanges(IAmazonDynamoDB client, string table, TimeProvider time)
{
    /// <summary>
    /// Rounds of a change before it gives up. Each lost round means another change to the message
    /// won, so N changes racing need up to N rounds; a random pause after each lost round spreads a
    /// burst (everyone reacting to one message at once) instead of replaying it in lockstep.
    /// </summary>
    public const int MaxRounds = 20;

    private static readonly TimeSpan MaxPause = TimeSpan.FromMilliseconds(50);

    // A void record matters only until the room's settled revision passes it, which the reader
    // that wrote it does at once; it is kept a day for anyone who looks.
    private static readonly TimeSpan VoidRecordLifetime = TimeSpan.FromDays(1);

    public async Task<ChangeOutcome> ChangeAsync(string room, long seq, MessageChange change, ChatUser by, DateTimeOffset at, CancellationToken cancellationToken)
    {
        for (var round = 0; round < MaxRounds; round++)
        {
            if (round > 0) await PauseAsync(round, cancellationToken);
            var item = await GetAsync(Key(room, seq), cancellationToken);
            if (item is null) return MessageRules.UnknownMessage(seq);
            var current = Read(item);
            var outcome = MessageRules.Apply(current, change, by, at);
            if (outcome is ChangeOutcome.Unchanged && change is MessageChange.Delete)
                await ForgetClaimTextAsync(current, cancellationToken); // a resent delete completes one cut short
            if (outcome is not ChangeOutcome.Changed changed) return outcome;

            var expiresAt = ExpiresAtSeconds(item);
            var revision = await NextRevisionAsync(room, cancellationToken);
            if (!await RecordAsync(room, revision, seq, changed.Next.Version, expiresAt, cancellationToken)) continue;
            var next = changed.Next with { Revision = revision };
            if (!await WriteStateAsync(next, current.Version, expiresAt, cancellationToken)) continue;
            if (change is MessageChange.Delete) await ForgetClaimTextAsync(next, cancellationToken);
            return new ChangeOutcome.Changed(next);
        }
        throw new InvalidOperationException(
            $"Message {seq} of room {room} was changed by others in each of {MaxRounds} attempts; the request may be sent again.");
    }

    private Task PauseAsync(int round, CancellationToken cancellationToken)
    {
        var ceiling = Math.Min(MaxPause.TotalMilliseconds, 2 << Math.Min(round, 10));
        return Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling), time, cancellationToken);
    }

    public async Task<ChatMessage?> GetMessageAsync(string room, long seq, CancellationToken cancellationToken) =>
        await GetAsync(Key(room, seq), cancellationToken) is { } item ? Read(item) : null;

    /// <summary>
    /// Makes every revision of the room handed out so far final, and returns the highest: after
    /// this, a change still in flight can only land under a higher revision.
    /// </summary>
    public async Task<long> SettleAsync(string room, CancellationToken cancellationToken)
    {
        var counter = await GetAsync(Key(room, DynamoDbItemKeys.CounterSeq), cancellationToken);
        var last = LongOr(counter, M.LastRevision);
        var settled = LongOr(counter, M.SettledRevision);
        if (settled >= last) return last;

        var records = new Dictionary<long, Dictionary<string, AttributeValue>>();
        await foreach (var record in QueryRecordsAsync(room, settled, last, cancellationToken)) records[Long(record[M.SortKey])] = record;
        var versions = new Dictionary<long, long?>(); // seq → the version last seen, null when the message is gone
        for (var revision = settled + 1; revision <= last; revision++)
        {
            if (!records.TryGetValue(revision, out var record))
            {
                if (await VoidAsync(room, revision, cancellationToken)) continue;
                // Recorded between the query and the void: settle it like the others.
                record = await GetAsync(Key(DynamoDbItemKeys.Changes(room), revision), cancellationToken)
                    ?? throw new InvalidOperationException($"Revision {revision} of room {room} is neither recorded nor voidable.");
            }
            if (record.ContainsKey(M.Void)) continue;

            var seq = Long(record[M.ChangedSeq]);
            var version = Long(record[M.Version]);
            if (!versions.TryGetValue(seq, out var seen))
                versions[seq] = seen = await GetAsync(Key(room, seq), cancellationToken) is { } item ? Read(item).Version : null;
            if (seen is null || seen >= version) continue;
            // Recorded but not (yet) written: bump the version so that the write can no longer land
            // under this revision. If the bump fails, the write just landed. Either way it is settled.
            await FenceAsync(room, seq, version, revision, cancellationToken);
            versions[seq] = version;
        }
        await AdvanceSettledAsync(room, last, cancellationToken);
        return last;
    }

    /// <summary>protocol.md 10.7's changedSince: the messages of the change records after <paramref name="since"/>.</summary>
    public async Task<MessagePage> GetChangedSinceAsync(string room, long since, int limit, CancellationToken cancellationToken)
    {
        var current = await SettleAsync(room, cancellationToken);
        if (since >= current) return new MessagePage([], HasMore: false) { Revision = current };

        var seqs = new List<long>(limit);
        var complete = current;
        var hasMore = false;
        var lastConsumed = since;
        await foreach (var record in QueryRecordsAsync(room, since, current, cancellationToken))
        {
            var revision = Long(record[M.SortKey]);
            if (!record.ContainsKey(M.Void))
            {
                var seq = Long(record[M.ChangedSeq]);
                if (!seqs.Contains(seq))
                {
                    if (seqs.Count == limit)
                    {
                        // One more message would overflow the page: it is complete up to the record before.
                        hasMore = true;
                        complete = lastConsumed;
                        break;
                    }
                    seqs.Add(seq);
                }
            }
            lastConsumed = revision;
        }

        var messages = new List<ChatMessage>(seqs.Count);
        foreach (var seq in seqs)
        {
            // Gone when it expired since; an expired message is no longer part of history.
            if (await GetMessageAsync(room, seq, cancellationToken) is { } message) messages.Add(message);
        }
        messages.Sort((a, b) => a.Revision.CompareTo(b.Revision));
        return new MessagePage(messages, hasMore) { Revision = complete };
    }

    private async Task<Dictionary<string, AttributeValue>?> GetAsync(Dictionary<string, AttributeValue> key, CancellationToken cancellationToken)
    {
        var response = await client.GetItemAsync(new GetItemRequest { TableName = table, Key = key, ConsistentRead = true }, cancellationToken);
        return response.Item is { Count: > 0 } item ? item : null;
    }

    private async Task<long> NextRevisionAsync(string room, CancellationToken cancellationToken)
    {
        var response = await client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = Key(room, DynamoDbItemKeys.CounterSeq),
            UpdateExpression = "ADD #last :one",
            ExpressionAttributeNames = new() { ["#last"] = M.LastRevision },
            ExpressionAttributeValues = new() { [":one"] = Number(1) },
            ReturnValues = ReturnValue.UPDATED_NEW,
        }, cancellationToken);
        return Long(response.Attributes[M.LastRevision]);
    }

    /// <summary>Writes the change record of <paramref name="revision"/>; false when a reader voided it first.</summary>
    private Task<bool> RecordAsync(string room, long revision, long seq, long version, long expiresAtSeconds, CancellationToken cancellationToken) =>
        PutIfAbsentAsync(new Dictionary<string, AttributeValue>(Key(DynamoDbItemKeys.Changes(room), revision))
        {
            [M.ChangedSeq] = Number(seq),
            [M.Version] = Number(version),
            [DynamoDbTables.TimeToLiveAttribute] = Number(expiresAtSeconds),
        }, cancellationToken);

    private Task<bool> VoidAsync(string room, long revision, CancellationToken cancellationToken) =>
        PutIfAbsentAsync(new Dictionary<string, AttributeValue>(Key(DynamoDbItemKeys.Changes(room), revision))
        {
            [M.Void] = new() { BOOL = true },
            [DynamoDbTables.TimeToLiveAttribute] = Number(time.GetUtcNow().Add(VoidRecordLifetime).ToUnixTimeSeconds()),
        }, cancellationToken);

    private Task<bool> PutIfAbsentAsync(Dictionary<string, AttributeValue> item, CancellationToken cancellationToken) =>
        client.PutIfAbsentAsync(table, item, M.PartitionKey, cancellationToken);

    /// <summary>Writes the whole next state if the message is still at <paramref name="readVersion"/>.</summary>
    private async Task<bool> WriteStateAsync(ChatMessage next, long readVersion, long expiresAtSeconds, CancellationToken cancellationToken)
    {
        var (condition, names, values) = AtVersion(readVersion);
        try
        {
            await client.PutItemAsync(new PutItemRequest
            {
                TableName = table,
                Item = Item(next, expiresAtSeconds),
                ConditionExpression = condition,
                ExpressionAttributeNames = names,
                ExpressionAttributeValues = values.Count > 0 ? values : null, // DynamoDB refuses an empty map
            }, cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    /// <summary>Moves a message from version − 1 to <paramref name="version"/> without changing its state.</summary>
    private async Task FenceAsync(string room, long seq, long version, long revision, CancellationToken cancellationToken)
    {
        var (condition, names, values) = AtVersion(version - 1);
        names["#revision"] = M.Revision;
        values[":next"] = Number(version);
        values[":revision"] = Number(revision);
        try
        {
            await client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = table,
                Key = Key(room, seq),
                UpdateExpression = "SET #version = :next, #revision = :revision",
                ConditionExpression = condition,
                ExpressionAttributeNames = names,
                ExpressionAttributeValues = values,
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            // The writer's own write landed first.
        }
    }

    // The item exists (an update must never create a message) and is at exactly this version;
    // version 1 is stored as no attribute at all.
    private static (string Condition, Dictionary<string, string> Names, Dictionary<string, AttributeValue> Values) AtVersion(long version) =>
        version == 1
            ? ("attribute_exists(#seq) AND attribute_not_exists(#version)",
                new() { ["#seq"] = M.SortKey, ["#version"] = M.Version }, new())
            : ("attribute_exists(#seq) AND #version = :version",
                new() { ["#seq"] = M.SortKey, ["#version"] = M.Version }, new() { [":version"] = Number(version) });

    private async Task AdvanceSettledAsync(string room, long settled, CancellationToken cancellationToken)
    {
        try
        {
            await client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = table,
                Key = Key(room, DynamoDbItemKeys.CounterSeq),
                UpdateExpression = "SET #settled = :settled",
                ConditionExpression = "attribute_not_exists(#settled) OR #settled < :settled",
                ExpressionAttributeNames = new() { ["#settled"] = M.SettledRevision },
                ExpressionAttributeValues = new() { [":settled"] = Number(settled) },
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            // Another reader settled as far or further.
        }
    }

    /// <summary>Removes a deleted message's text from its send's claim (docs/dynamodb.md, step W4).</summary>
    private async Task ForgetClaimTextAsync(ChatMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = table,
                Key = Key(DynamoDbItemKeys.Claim(message.Room, message.Sender.Id, message.ClientMessageId), DynamoDbItemKeys.CounterSeq),
                UpdateExpression = "SET #text = :empty",
                ConditionExpression = "attribute_exists(#room)",
                ExpressionAttributeNames = new() { ["#text"] = M.Text, ["#room"] = M.PartitionKey },
                ExpressionAttributeValues = new() { [":empty"] = new AttributeValue { S = "" } },
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            // The claim expired: there is no text left to remove.
        }
    }

    /// <summary>The change records of revisions above <paramref name="after"/> up to <paramref name="upTo"/>, ascending.</summary>
    private async IAsyncEnumerable<Dictionary<string, AttributeValue>> QueryRecordsAsync(string room, long after, long upTo,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var response = await client.QueryAsync(new QueryRequest
            {
                TableName = table,
                KeyConditionExpression = "#room = :changes AND #seq BETWEEN :low AND :high",
                ExpressionAttributeNames = new() { ["#room"] = M.PartitionKey, ["#seq"] = M.SortKey },
                ExpressionAttributeValues = new()
                {
                    [":changes"] = new() { S = DynamoDbItemKeys.Changes(room) },
                    [":low"] = Number(after + 1),
                    [":high"] = Number(upTo),
                },
                ConsistentRead = true,
                ExclusiveStartKey = start,
            }, cancellationToken);
            foreach (var item in response.Items ?? []) yield return item;
            start = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        } while (start is not null);
    }

    private static long LongOr(Dictionary<string, AttributeValue>? item, string attribute) =>
        item is not null && item.TryGetValue(attribute, out var value) ? Long(value) : 0;
}
