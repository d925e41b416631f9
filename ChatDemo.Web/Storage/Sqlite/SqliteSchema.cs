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
            last_seq      INTEGER NOT NULL,
            last_revision INTEGER NOT NULL DEFAULT 0
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
            version           INTEGER NOT NULL DEFAULT 1,
            revision          INTEGER NOT NULL DEFAULT 0,
            reply_to          INTEGER,
            edited_at         INTEGER,
            deleted_at        INTEGER,
            reactions         TEXT,
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

    /// <summary>
    /// Columns added by protocol v1.1 (message lifecycle), added to a database file created
    /// before them; <see cref="Create"/> already has them for a new file.
    /// </summary>
    public static readonly (string Table, string Column, string Definition)[] AddedColumns =
    [
        ("rooms", "last_revision", "INTEGER NOT NULL DEFAULT 0"),
        ("messages", "version", "INTEGER NOT NULL DEFAULT 1"),
        ("messages", "revision", "INTEGER NOT NULL DEFAULT 0"),
        ("messages", "reply_to", "INTEGER"),
        ("messages", "edited_at", "INTEGER"),
        ("messages", "deleted_at", "INTEGER"),
        ("messages", "reactions", "TEXT"),
    ];

    // After the columns exist. Only changed messages are in it: changedSince reads it (protocol.md 10.7).
    public const string CreateRevisionIndex =
        "CREATE INDEX IF NOT EXISTS messages_by_revision ON messages (room, revision) WHERE revision > 0;";
}
