using Amazon.DynamoDBv2;
using Amazon.Runtime;
using ChatDemo.Web.Configuration;

namespace ChatDemo.Web.Storage.DynamoDb;

/// <summary>Builds the DynamoDB client from <c>Chat__DynamoDb__ServiceUrl</c>.</summary>
public static class DynamoDbClientFactory
{
    /// <summary>The region a local engine is addressed as when <c>AWS_REGION</c> is unset.</summary>
    public const string LocalRegion = "us-east-1";

    public static IAmazonDynamoDB Create(DynamoDbOptions options)
    {
        // Unset: real AWS, with credentials and region from the standard environment (default chain).
        if (string.IsNullOrWhiteSpace(options.ServiceUrl)) return new AmazonDynamoDBClient();

        var config = new AmazonDynamoDBConfig
        {
            ServiceURL = options.ServiceUrl,
            AuthenticationRegion = Environment.GetEnvironmentVariable("AWS_REGION") is { Length: > 0 } region ? region : LocalRegion,
        };
        // A local engine (dynalite, DynamoDB Local) accepts any signature; asking the default
        // chain would fail on a machine without AWS credentials, or probe the instance metadata.
        return new AmazonDynamoDBClient(new BasicAWSCredentials("local", "local"), config);
    }
}
