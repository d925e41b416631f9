using ChatDemo.Web.Chat;
using ChatDemo.Web.Storage;
using ChatDemo.Web.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace ChatDemo.Web.Tests.Storage;

/// <summary>The message-change contract on SQLite, one temporary database file per test; and the schema's upgrade.</summary>
public sealed class SqliteMessageChangeStoreTests : MessageChangeStoreContract
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "chatdemo-tests", Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_folder, "chat.db");

    protected override async Task<IChatStore> CreateStoreAsync()
    {
        var store = new SqliteChatStore(DatabasePath);
        await store.InitializeAsync(default);
        return store;
    }

    protected override async Task<IReadOnlyList<string>> ReadStoredTextsAsync(string room, long seq)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT text FROM messages WHERE room = $room AND seq = $seq";
        command.Parameters.AddWithValue("$room", room);
        command.Parameters.AddWithValue("$seq", seq);
        return [(string)(await command.ExecuteScalarAsync())!];
    }

    [Fact]
    public async Task ADatabaseFromBeforeMessageChangesIsUpgradedInPlace()
    {
        var path = Path.Combine(_folder, "v1.db");
        await using (var v1 = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await v1.OpenAsync();
            await using var create = v1.CreateCommand();
            // The schema as protocol v1 shipped it, with one message.
            create.CommandText = """
                CREATE TABLE rooms (room TEXT NOT NULL PRIMARY KEY, last_seq INTEGER NOT NULL) WITHOUT ROWID;
                CREATE TABLE messages (room TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, client_message_id TEXT NOT NULL,
                    sender_id TEXT NOT NULL, sender_name TEXT NOT NULL, text TEXT NOT NULL, sent_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL, PRIMARY KEY (room, seq)) WITHOUT ROWID;
                INSERT INTO rooms VALUES ('lobby', 1);
                INSERT INTO messages VALUES ('lobby', 1, 'm_1', 'c-1', 'u_alice', 'Alice', 'from v1', 1700000000000, 4102444800000);
                """;
            await create.ExecuteNonQueryAsync();
        }

        await using var store = new SqliteChatStore(path);
        await store.InitializeAsync(default);

        var old = await store.GetMessageAsync("lobby", 1, default);
        Assert.Equal(("from v1", 1L, 0L), (old!.Text, old.Version, old.Revision));
        var edited = Assert.IsType<ChangeOutcome.Changed>(
            await store.ChangeMessageAsync("lobby", 1, new MessageChange.Edit("edited in v1.1"), Alice, T0, default)).Next;
        Assert.Equal((2L, 1L), (edited.Version, edited.Revision));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Still held by a pooled connection; the temp folder is cleaned later.
        }
    }
}
