using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace ChatDemo.Web.Storage.DynamoDb;

/// <summary>The conditional writes every part of the store builds on.</summary>
internal static class DynamoDbWrites
{
    /// <summary>
    /// Puts <paramref name="item"/> only if no item with its key exists (<paramref name="keyAttribute"/>:
    /// any attribute of the key, which every stored item has); false when one did, and nothing was written.
    /// </summary>
    public static async Task<bool> PutIfAbsentAsync(this IAmazonDynamoDB client, string table, Dictionary<string, AttributeValue> item,
        string keyAttribute, CancellationToken cancellationToken)
    {
        try
        {
            await client.PutItemAsync(new PutItemRequest
            {
                TableName = table,
                Item = item,
                ConditionExpression = "attribute_not_exists(#key)",
                ExpressionAttributeNames = new() { ["#key"] = keyAttribute },
            }, cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }
}
