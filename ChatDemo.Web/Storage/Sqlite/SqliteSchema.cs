namespace ChatDemo.Web.Storage.Sqlite;

/// <summary>The embedded database's tables, created on first run.</summary>
internal static class SqliteSchema
{
    // rooms.last_seq is the room's counter: seq is never reused, even after the retention
    // sweep has deleted every message of a room.
    public const string Create = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS rooms (
            room      TEXT    NOT NULL PRIMARY KEY,
            last_seq  INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS messages (
            room              TEXT    NOT NULL,
            seq               INTEGER NOT NULL,
            id                TEXT    NOT NULL,
            client_message_id TEXT    NOT NULL,
            sender_id         TEXT    NOT NULL,
            sender_name       TEXT    NOT NULL,
            text              TEXT    NOT NULL,
            sent_at           INTEGER NOT NULL,
            expires_at        INTEGER NOT NULL,
            PRIMARY KEY (room, seq)
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX IF NOT EXISTS messages_by_sender_client_id ON messages (room, sender_id, client_message_id);
        CREATE INDEX IF NOT EXISTS messages_by_expiry ON messages (expires_at);
        CREATE TABLE IF NOT EXISTS connections (
            connection_id TEXT    NOT NULL PRIMARY KEY,
            room          TEXT    NOT NULL,
            user_id       TEXT    NOT NULL,
            user_name     TEXT    NOT NULL,
            connected_at  INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS connections_by_room_user ON connections (room, user_id);
        """;
}
