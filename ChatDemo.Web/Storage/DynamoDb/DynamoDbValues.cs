using System.Globalization;
using Amazon.DynamoDBv2.Model;

namespace ChatDemo.Web.Storage.DynamoDb;

internal static class DynamoDbValues
{
    /// <summary>A number attribute; DynamoDB carries numbers as invariant-culture strings.</summary>
    public static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    public static long Long(AttributeValue value) => long.Parse(value.N, CultureInfo.InvariantCulture);
}
