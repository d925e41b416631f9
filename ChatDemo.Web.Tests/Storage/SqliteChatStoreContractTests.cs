using ChatDemo.Web.Chat;
using ChatDemo.Web.Storage.Sqlite;
using ChatDemo.Web.Tests.TestInfrastructure;
using Microsoft.Data.Sqlite;

namespace ChatDemo.Web.Tests.Storage;

/// <summary>The store contract on SQLite, one temporary database file per test.</summary>
public sealed class SqliteChatStoreContractTests : ChatStoreContract
{
    private readonly TempFolder _folder = new();

    private string DatabasePath => _folder.File("chat.db");

    protected override async Task<IChatStore> CreateStoreAsync()
    {
        var store = new SqliteChatStore(DatabasePath);
        await store.InitializeAsync(default);
        return store;
    }

    protected override async Task<DateTimeOffset?> ReadStoredMessageExpiryAsync(string room, long seq)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT expires_at FROM messages WHERE room = $room AND seq = $seq";
        command.Parameters.AddWithValue("$room", room);
        command.Parameters.AddWithValue("$seq", seq);
        return await command.ExecuteScalarAsync() is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    protected override async Task<IReadOnlyList<ChatConnection>> ReadRoomConnectionsAsync(string room)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT connection_id, user_id, user_name, connected_at FROM connections WHERE room = $room ORDER BY connected_at, connection_id";
        command.Parameters.AddWithValue("$room", room);
        var result = new List<ChatConnection>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result.Add(new ChatConnection(reader.GetString(0), room, new ChatUser(reader.GetString(1), reader.GetString(2)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))));
        }
        return result;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
