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
            connected_at  INTEGER NOT NULL,
            admin         INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX IF NOT EXISTS connections_by_room_user ON connections (room, user_id);
        """ + RoomTables;

    // Protocol v1.2 (rooms): only in new tables, so a database file from before gets them on its
    // next start and everything already in it keeps its meaning. A room without a room_records row
    // is one nobody created (public, ownerless, as in v1).
    private const string RoomTables = """
        CREATE TABLE IF NOT EXISTS room_records (
            room        TEXT    NOT NULL PRIMARY KEY,
            visibility  TEXT    NOT NULL,
            title       TEXT,
            owner_id    TEXT    NOT NULL,
            owner_name  TEXT    NOT NULL,
            created_at  INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS room_standings (
            room         TEXT    NOT NULL,
            user_id      TEXT    NOT NULL,
            name         TEXT,
            role         INTEGER,
            joined_at    INTEGER,
            muted_until  INTEGER,
            banned_at    INTEGER,
            ban_until    INTEGER,
            PRIMARY KEY (room, user_id)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS room_standings_by_member ON room_standings (user_id) WHERE role IS NOT NULL;
        CREATE TABLE IF NOT EXISTS invite_uses (
            invite_id   TEXT    NOT NULL PRIMARY KEY,
            room        TEXT    NOT NULL,
            uses        INTEGER NOT NULL,
            expires_at  INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS moderation_records (
            room       TEXT    NOT NULL,
            id         TEXT    NOT NULL,
            action     TEXT    NOT NULL,
            by_id      TEXT    NOT NULL,
            by_name    TEXT    NOT NULL,
            user_id    TEXT    NOT NULL,
            user_name  TEXT,
            at         INTEGER NOT NULL,
            until      INTEGER,
            reason     TEXT,
            role       INTEGER,
            PRIMARY KEY (room, id)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS moderation_records_by_time ON moderation_records (room, at);
        CREATE TABLE IF NOT EXISTS read_positions (
            user_id  TEXT    NOT NULL,
            room     TEXT    NOT NULL,
            seq      INTEGER NOT NULL,
            PRIMARY KEY (user_id, room)
        ) WITHOUT ROWID;
        """;

    /// <summary>
    /// Columns added by protocol v1.1 (message lifecycle) and v1.2 (rooms), added to a database
    /// file created before them; <see cref="Create"/> already has them for a new file.
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
        ("connections", "admin", "INTEGER NOT NULL DEFAULT 0"),
    ];

    // After the columns exist. Only changed messages are in it: changedSince reads it (protocol.md 10.7).
    public const string CreateRevisionIndex =
        "CREATE INDEX IF NOT EXISTS messages_by_revision ON messages (room, revision) WHERE revision > 0;";
}
