using Amazon.DynamoDBv2;
using ChatDemo.Web.Configuration;
using ChatDemo.Web.Storage.DynamoDb;
using ChatDemo.Web.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatDemo.Web.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>The store chosen by <c>Chat__Store</c>.</summary>
    public static IServiceCollection AddChatStore(this IServiceCollection services, IConfiguration configuration)
    {
        var store = configuration[$"{ChatOptions.SectionName}:{nameof(ChatOptions.Store)}"] ?? StoreKinds.Sqlite;
        // Any value but DynamoDb gets SQLite here, so that the service graph builds and the options
        // validation at start reports a misspelt Chat__Store by name instead of a DI error.
        if (store != StoreKinds.DynamoDb)
        {
            services.AddSingleton(sp =>
            {
                var options = Options(sp);
                var path = options.Sqlite.Path
                    ?? Path.Combine(DataFolder.Resolve(sp.GetRequiredService<IHostEnvironment>()), "chatdemo.db");
                return new SqliteChatStore(path);
            });
            services.AddSingleton<IChatStore>(sp => sp.GetRequiredService<SqliteChatStore>());
            services.AddSingleton<IMessageRetention>(sp => sp.GetRequiredService<SqliteChatStore>());
            services.AddHostedService<SqliteInitializer>();
            services.AddHostedService<RetentionSweeper>();
        }
        else if (store == StoreKinds.DynamoDb)
        {
            // No retention sweeper: DynamoDB's TTL expires messages.
            services.TryAddSingleton<IAmazonDynamoDB>(sp => DynamoDbClientFactory.Create(Options(sp).DynamoDb));
            services.AddSingleton(sp => new DynamoDbTableNames(Options(sp).DynamoDb.MessagesTable, Options(sp).DynamoDb.ConnectionsTable));
            services.AddSingleton<IChatStore>(sp => new DynamoDbChatStore(
                sp.GetRequiredService<IAmazonDynamoDB>(),
                sp.GetRequiredService<DynamoDbTableNames>(),
                sp.GetRequiredService<ILogger<DynamoDbChatStore>>(),
                TimeSpan.FromSeconds(Options(sp).DynamoDb.CallTimeoutSeconds)));
            services.AddHostedService<DynamoDbTablesInitializer>();
        }
        return services;
    }

    private static ChatOptions Options(IServiceProvider services) =>
        services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ChatOptions>>().Value;
}

/// <summary>Creates the SQLite schema before the app serves anything.</summary>
internal sealed class SqliteInitializer(SqliteChatStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
