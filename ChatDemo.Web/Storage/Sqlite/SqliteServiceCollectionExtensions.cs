using ChatDemo.Web.Chat;
using ChatDemo.Web.Configuration;
using ChatDemo.Web.Rooms;
using Microsoft.Extensions.Options;

namespace ChatDemo.Web.Storage.Sqlite;

public static class SqliteServiceCollectionExtensions
{
    /// <summary><c>Chat__Store=Sqlite</c> (the default): one embedded file (messages, connections, rooms), swept for expired messages.</summary>
    public static IServiceCollection AddSqliteStore(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ChatOptions>>().Value;
            var path = options.Sqlite.Path
                ?? Path.Combine(DataFolder.Resolve(sp.GetRequiredService<IHostEnvironment>()), "chatdemo.db");
            return new SqliteChatStore(path);
        });
        services.AddChatStore(sp => sp.GetRequiredService<SqliteChatStore>());
        services.AddRoomStore(sp => new SqliteRoomStore(sp.GetRequiredService<SqliteChatStore>()));
        services.AddSingleton<IMessageChangeStore>(sp => sp.GetRequiredService<SqliteChatStore>());
        services.AddSingleton<IMessageRetention>(sp => sp.GetRequiredService<SqliteChatStore>());
        services.AddHostedService<SqliteInitializer>();
        services.AddHostedService<RetentionSweeper>();
        return services;
    }
}

/// <summary>Creates the SQLite schema before the app serves anything.</summary>
internal sealed class SqliteInitializer(SqliteChatStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
