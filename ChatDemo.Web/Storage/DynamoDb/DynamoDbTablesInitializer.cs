using Amazon.DynamoDBv2;
using ChatDemo.Web.Configuration;
using Microsoft.Extensions.Options;

namespace ChatDemo.Web.Storage.DynamoDb;

/// <summary>
/// With <c>Chat__DynamoDb__CreateTables=true</c> (local engines), creates missing tables before
/// the app serves anything. Deployed stacks get their tables from the SAM template instead.
/// </summary>
internal sealed class DynamoDbTablesInitializer(
    IAmazonDynamoDB client,
    DynamoDbTableNames tables,
    IOptions<ChatOptions> options,
    ILogger<DynamoDbTablesInitializer> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        options.Value.DynamoDb.CreateTables
            ? DynamoDbTableSetup.CreateMissingAsync(client, tables, logger, cancellationToken)
            : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
