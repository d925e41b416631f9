using Amazon.DynamoDBv2;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Configuration;
using ChatDemo.Web.Rooms;
using Microsoft.Extensions.Options;

namespace ChatDemo.Web.Storage.DynamoDb;

public static class DynamoDbServiceCollectionExtensions
{
    /// <summary><c>Chat__Store=DynamoDb</c>: three tables; no retention sweeper, DynamoDB's TTL expires messages.</summary>
    public static IServiceCollection AddDynamoDbStore(this IServiceCollection services)
    {
        services.AddSingleton<IAmazonDynamoDB>(sp => DynamoDbClientFactory.Create(Options(sp).DynamoDb));
        services.AddSingleton(sp => new DynamoDbTableNames(
            Options(sp).DynamoDb.MessagesTable, Options(sp).DynamoDb.ConnectionsTable, Options(sp).DynamoDb.RoomsTable));
        services.AddSingleton(sp => new DynamoDbChatStore(
            sp.GetRequiredService<IAmazonDynamoDB>(),
            sp.GetRequiredService<DynamoDbTableNames>(),
            sp.GetRequiredService<ILogger<DynamoDbChatStore>>(),
            TimeSpan.FromSeconds(Options(sp).DynamoDb.CallTimeoutSeconds),
            sp.GetRequiredService<TimeProvider>()));
        services.AddChatStore(sp => sp.GetRequiredService<DynamoDbChatStore>());
        services.AddSingleton<IMessageChangeStore>(sp => sp.GetRequiredService<DynamoDbChatStore>());
        services.AddRoomStore(sp => new DynamoDbRoomStore(
            sp.GetRequiredService<IAmazonDynamoDB>(),
            sp.GetRequiredService<DynamoDbTableNames>(),
            TimeSpan.FromSeconds(Options(sp).DynamoDb.CallTimeoutSeconds)));
        services.AddHostedService<DynamoDbTablesInitializer>();
        return services;
    }

    /// <summary>
    /// AWS mode's send budgets (protocol.md 11.7) in the connections table, shared by every function
    /// instance. Kestrel keeps its in-process <see cref="SendBudgets"/>, on DynamoDB too: one process.
    /// </summary>
    public static IServiceCollection AddDynamoDbSendBudgets(this IServiceCollection services) =>
        services.AddSingleton<IStoredSendBudgets>(sp => new InstrumentedSendBudgets(
            new DynamoDbSendBudgets(
                sp.GetRequiredService<IAmazonDynamoDB>(),
                sp.GetRequiredService<DynamoDbTableNames>(),
                Options(sp).Limits,
                sp.GetRequiredService<TimeProvider>(),
                TimeSpan.FromSeconds(Options(sp).DynamoDb.CallTimeoutSeconds)),
            sp.GetRequiredService<StoreCallObserver>()));

    private static ChatOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<ChatOptions>>().Value;
}
