using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Configuration;
using static ChatDemo.Web.Storage.DynamoDb.DynamoDbValues;
using C = ChatDemo.Web.Storage.DynamoDb.DynamoDbTables.Connections;

namespace ChatDemo.Web.Storage.DynamoDb;

/// <summary>
/// The send budgets of protocol.md 11.7 in the connections table, for AWS mode, where one user's
/// frames reach many function instances (docs/dynamodb.md, "Send budgets"). The budget is the
/// generic cell rate algorithm, equivalent to Kestrel's token bucket of <c>SendBurst</c> refilling at
/// <c>SendPerSecond</c>: one item per (room, user) holds the theoretical arrival time (TAT) of the
/// next send; a send is allowed while TAT ≤ now + (burst − 1) × interval and moves TAT on by one
/// interval (from now, when TAT is already past: a full bucket). Each step is one conditional
/// UpdateItem, so two instances racing for the last token cannot both win: no read, no
/// transaction. The flood close counts strikes on the connection's own item.
/// </summary>
public sealed class DynamoDbSendBudgets(IAmazonDynamoDB client, DynamoDbTableNames tables, ConnectionLimitOptions limits,
    TimeProvider time, TimeSpan? callTimeout = null) : IStoredSendBudgets
{
    private const long MicrosecondsPerSecond = 1_000_000;

    private readonly long _interval = MicrosecondsPerSecond / limits.SendPerSecond;
    private readonly DynamoDbDeadline _deadline = new(callTimeout ?? DynamoDbDeadline.Default);

    public ISendLimit ForConnection(ChatConnection connection) => new Limit(this, connection);

    /// <summary>
    /// Takes one token of the user's budget in the room; false when there is none. Both writes use
    /// one reading of the clock, so when both conditions fail the budget really was spent: TAT was
    /// neither before now nor within the burst (only a racing instance whose clock is behind by
    /// more than an interval could make it otherwise, and then it refuses, never over-grants).
    /// </summary>
    public Task<bool> TryTakeAsync(string room, string userId, CancellationToken cancellationToken) =>
        _deadline.RunAsync(async token =>
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
            var key = DynamoDbItemKeys.SendBudget(room, userId);
            // A full bucket first: a user's sends a chat's pace apart (more than an interval) find
            // TAT past, and pay one write; only a burst pays a failed write before the second.
            return await TryUpdateAsync(key, "SET #tat = :next, #ttl = :ttl", "attribute_not_exists(#tat) OR #tat < :now",
                       new() { [":now"] = Number(now), [":next"] = Number(now + _interval), [":ttl"] = ExpiresAt(now + _interval) }, token)
                   || await TryUpdateAsync(key, "SET #tat = #tat + :interval, #ttl = :ttl", "#tat BETWEEN :now AND :last",
                       new()
                       {
                           [":now"] = Number(now),
                           [":last"] = Number(now + (limits.SendBurst - 1) * _interval),
                           [":interval"] = Number(_interval),
                           // The latest TAT this step can leave: the item outlives it and no longer.
                           [":ttl"] = ExpiresAt(now + limits.SendBurst * _interval),
                       }, token);
        }, cancellationToken);

    /// <summary>
    /// Counts a <c>rate_limited</c> answer on the connection's item; true at the <c>FloodStrikes</c>-th
    /// within a window of <c>FloodWindowSeconds</c> that starts at the window's first strike. A
    /// connection whose item is gone counts nothing.
    /// </summary>
    public Task<bool> RecordStrikeAsync(string connectionId, CancellationToken cancellationToken) =>
        _deadline.RunAsync(async token =>
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var names = new Dictionary<string, string> { ["#room"] = C.ByRoomPartitionKey, ["#strikes"] = C.Strikes, ["#until"] = C.StrikesUntil };
            // During a flood the window is open: one write.
            var strikes = await TryStrikeAsync(connectionId, "SET #strikes = #strikes + :one", "attribute_exists(#room) AND #until > :now",
                              names, new() { [":one"] = Number(1), [":now"] = Number(now) }, token)
                          ?? await TryStrikeAsync(connectionId, "SET #strikes = :one, #until = :until",
                              "attribute_exists(#room) AND (attribute_not_exists(#until) OR #until <= :now)", names,
                              new() { [":one"] = Number(1), [":now"] = Number(now), [":until"] = Number(now + limits.FloodWindowSeconds * 1000L) },
                              token);
            return strikes >= limits.FloodStrikes;
        }, cancellationToken);

    private async Task<bool> TryUpdateAsync(string key, string update, string condition, Dictionary<string, AttributeValue> values,
        CancellationToken cancellationToken)
    {
        try
        {
            await client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tables.Connections,
                Key = new() { [C.PartitionKey] = new() { S = key } },
                UpdateExpression = update,
                ConditionExpression = condition,
                ExpressionAttributeNames = new() { ["#tat"] = C.SendTat, ["#ttl"] = DynamoDbTables.TimeToLiveAttribute },
                ExpressionAttributeValues = values,
            }, cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    /// <summary>The connection's strike count after the update, or null when its condition failed.</summary>
    private async Task<long?> TryStrikeAsync(string connectionId, string update, string condition, Dictionary<string, string> names,
        Dictionary<string, AttributeValue> values, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tables.Connections,
                Key = new() { [C.PartitionKey] = new() { S = connectionId } },
                UpdateExpression = update,
                ConditionExpression = condition,
                ExpressionAttributeNames = names,
                ExpressionAttributeValues = values,
                ReturnValues = ReturnValue.UPDATED_NEW,
            }, cancellationToken);
            return Long(response.Attributes[C.Strikes]);
        }
        catch (ConditionalCheckFailedException)
        {
            return null;
        }
    }

    /// <summary>
    /// The TTL of a budget item: the second its TAT passes, when it is a full bucket and a missing
    /// item means the same. DynamoDB deletes it some time later; until then the conditions read it
    /// as full, so the moment of deletion never matters.
    /// </summary>
    private static AttributeValue ExpiresAt(long tatMicroseconds) => Number((tatMicroseconds + MicrosecondsPerSecond - 1) / MicrosecondsPerSecond);

    private sealed class Limit(DynamoDbSendBudgets budgets, ChatConnection connection) : ISendLimit
    {
        public async ValueTask<bool> TryAcquireAsync(CancellationToken cancellationToken) =>
            await budgets.TryTakeAsync(connection.Room, connection.User.Id, cancellationToken);

        public async ValueTask<bool> RecordStrikeAsync(CancellationToken cancellationToken) =>
            await budgets.RecordStrikeAsync(connection.ConnectionId, cancellationToken);
    }
}
