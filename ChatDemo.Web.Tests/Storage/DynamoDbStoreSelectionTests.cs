using ChatDemo.Web.Chat;
using ChatDemo.Web.Rooms;
using ChatDemo.Web.Storage.DynamoDb;
using ChatDemo.Web.Storage.Sqlite;
using ChatDemo.Web.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ChatDemo.Web.Tests.Storage;

public sealed class DynamoDbStoreSelectionTests
{
    [Fact]
    public async Task ChatStoreDynamoDbWithCreateTablesServesFromFreshTablesOnTheLocalEngine()
    {
        var tables = Dynalite.UniqueTableNames();
        await using var app = await ChatApp.StartAsync(await Dynalite.StoreSettingsAsync(tables));

        // The store every port resolves to is the engine observed by telemetry; the engine is DynamoDB's.
        Assert.IsType<InstrumentedChatStore>(app.Services.GetRequiredService<IChatStore>());
        Assert.NotNull(app.Services.GetService<DynamoDbChatStore>());
        Assert.Null(app.Services.GetService<SqliteChatStore>());
        Assert.IsType<InstrumentedRoomStore>(app.Services.GetRequiredService<IRoomStore>());
        Assert.Empty(app.Services.GetServices<IMessageRetention>());
        Assert.Equal("healthy", (await app.GetJsonAsync("/health")).GetProperty("status").GetString());
        using var client = await Dynalite.CreateClientAsync();
        Assert.Equal("ACTIVE", (await client.DescribeTableAsync(tables.Messages)).Table.TableStatus.Value);
        Assert.Equal("ACTIVE", (await client.DescribeTableAsync(tables.Connections)).Table.TableStatus.Value);
        Assert.Equal("ACTIVE", (await client.DescribeTableAsync(tables.Rooms)).Table.TableStatus.Value);
    }
}
