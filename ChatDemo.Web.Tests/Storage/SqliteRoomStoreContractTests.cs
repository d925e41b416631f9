using ChatDemo.Web.Chat;
using ChatDemo.Web.Rooms;
using ChatDemo.Web.Storage.Sqlite;
using ChatDemo.Web.Tests.TestInfrastructure;
using Microsoft.Data.Sqlite;

namespace ChatDemo.Web.Tests.Storage;

/// <summary>The room-store contract on SQLite, one temporary database file per test; and the schema's upgrade.</summary>
public sealed class SqliteRoomStoreContractTests : RoomStoreContract
{
    private readonly TempFolder _folder = new();
    private SqliteChatStore? _database;

    protected override async Task<(IRoomStore Rooms, IMessageStore Messages)> CreateStoresAsync()
    {
        _database = new SqliteChatStore(_folder.File("chat.db"));
        await _database.InitializeAsync(default);
        return (new SqliteRoomStore(_database), _database);
    }

    [Fact]
    public async Task ADatabaseFromBeforeRoomsIsUpgradedInPlaceAndItsRoomsStayOwnerless()
    {
        var path = _folder.File("v11.db");
        await using (var v11 = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await v11.OpenAsync();
            await using var create = v11.CreateCommand();
            // The schema as protocol v1.1 shipped it, with one message and one connection.
            create.CommandText = """
                CREATE TABLE rooms (room TEXT NOT NULL PRIMARY KEY, last_seq INTEGER NOT NULL, last_revision INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
                CREATE TABLE messages (room TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, client_message_id TEXT NOT NULL,
                    sender_id TEXT NOT NULL, sender_name TEXT NOT NULL, text TEXT NOT NULL, sent_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL, version INTEGER NOT NULL DEFAULT 1, revision INTEGER NOT NULL DEFAULT 0,
                    reply_to INTEGER, edited_at INTEGER, deleted_at INTEGER, reactions TEXT, PRIMARY KEY (room, seq)) WITHOUT ROWID;
                CREATE TABLE connections (connection_id TEXT NOT NULL PRIMARY KEY, room TEXT NOT NULL, user_id TEXT NOT NULL,
                    user_name TEXT NOT NULL, connected_at INTEGER NOT NULL);
                INSERT INTO rooms VALUES ('lobby', 1, 0);
                INSERT INTO messages (room, seq, id, client_message_id, sender_id, sender_name, text, sent_at, expires_at)
                    VALUES ('lobby', 1, 'm_1', 'c-1', 'u_alice', 'Alice', 'from v1.1', 1764928800000, 4102444800000);
                INSERT INTO connections VALUES ('c_old', 'lobby', 'u_alice', 'Alice', 1764928800000);
                """;
            await create.ExecuteNonQueryAsync();
        }

        await using var database = new SqliteChatStore(path);
        await database.InitializeAsync(default);
        var rooms = new SqliteRoomStore(database);

        Assert.Equal(new RoomSummary("lobby", null, 1, DateTimeOffset.FromUnixTimeMilliseconds(1764928800000)), await rooms.GetSummaryAsync("lobby", default));
        Assert.Equal(new RoomAccess(null, null), await rooms.GetAccessAsync("lobby", "u_alice", default));
        Assert.False((await database.GetConnectionAsync("c_old", default))!.Admin);
        Assert.Equal(RoomCreation.HasMessages, await rooms.CreateRoomAsync(NewRoom("lobby"), default));
        Assert.Equal(RoomCreation.Created, await rooms.CreateRoomAsync(NewRoom("team-a", RoomVisibility.Private), default));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
