using ChatDemo.Web.Chat;
using ChatDemo.Web.Rooms;
using Microsoft.Data.Sqlite;
using static ChatDemo.Web.Storage.Sqlite.SqliteChatStore;

namespace ChatDemo.Web.Storage.Sqlite;

/// <summary>
/// Rooms (protocol.md section 11) in the chat store's own SQLite file: its single writer makes
/// each write one transaction, so the conditions of <see cref="IRoomStore"/> are checked and
/// applied without a race; reads run on pooled connections alongside.
/// </summary>
public sealed class SqliteRoomStore(SqliteChatStore database) : IRoomStore
{
    public Task<RoomCreation> CreateRoomAsync(Room room, CancellationToken cancellationToken) =>
        database.WriteAsync(room, static (db, r) =>
        {
            using var transaction = db.BeginTransaction();
            if (Scalar(db, transaction, "SELECT 1 FROM room_records WHERE room = $room", ("$room", r.Name)) is not null)
                return RoomCreation.AlreadyCreated;
            if (Scalar(db, transaction, "SELECT 1 FROM messages WHERE room = $room LIMIT 1", ("$room", r.Name)) is not null)
                return RoomCreation.HasMessages;
            Execute(db, transaction, """
                INSERT INTO room_records (room, visibility, title, owner_id, owner_name, created_at)
                VALUES ($room, $visibility, $title, $owner, $name, $at)
                """,
                ("$room", r.Name), ("$visibility", RoomRules.VisibilityName(r.Visibility)), ("$title", r.Title),
                ("$owner", r.Owner.Id), ("$name", r.Owner.Name), ("$at", Ms(r.CreatedAt)));
            Execute(db, transaction, """
                INSERT INTO room_standings (room, user_id, name, role, joined_at) VALUES ($room, $user, $name, $role, $at)
                ON CONFLICT (room, user_id) DO UPDATE SET name = excluded.name, role = excluded.role, joined_at = excluded.joined_at
                """,
                ("$room", r.Name), ("$user", r.Owner.Id), ("$name", r.Owner.Name), ("$role", (long)RoomRole.Owner), ("$at", Ms(r.CreatedAt)));
            transaction.Commit();
            return RoomCreation.Created;
        }, cancellationToken);

    public async Task<RoomAccess> GetAccessAsync(string room, string userId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: true);
        Room? record;
        using (var command = Command(connection, transaction, $"SELECT {RecordColumns} FROM room_records WHERE room = $room", ("$room", room)))
        using (var reader = command.ExecuteReader())
        {
            record = reader.Read() ? ReadRecord(reader, 0) : null;
        }
        return new RoomAccess(record, ReadStanding(connection, transaction, room, userId));
    }

    public async Task<RoomSummary?> GetSummaryAsync(string room, CancellationToken cancellationToken) =>
        (await ReadSummariesAsync("SELECT $room AS name, NULL AS role", cancellationToken, ("$room", room)))
        .Select(s => s.Summary).SingleOrDefault(s => s.Created is not null || s.LastMessageAt is not null);

    public async Task<IReadOnlyList<RoomSummary>> ListPublicRoomsAsync(int limit, CancellationToken cancellationToken) =>
        (await ReadSummariesAsync("""
            SELECT room AS name, NULL AS role FROM room_records WHERE visibility = 'public'
            UNION
            SELECT c.room, NULL FROM rooms c
            WHERE NOT EXISTS (SELECT 1 FROM room_records r WHERE r.room = c.room)
              AND EXISTS (SELECT 1 FROM messages m WHERE m.room = c.room)
            """, cancellationToken, ("$limit", limit))).Select(s => s.Summary).ToList();

    public async Task<IReadOnlyList<(RoomSummary Room, RoomRole Role)>> ListRoomsOfUserAsync(string userId, CancellationToken cancellationToken) =>
        (await ReadSummariesAsync("SELECT room AS name, role FROM room_standings WHERE user_id = $user AND role IS NOT NULL",
            cancellationToken, ("$user", userId)))
        .Select(s => (s.Summary, (RoomRole)s.Role!.Value)).ToList();

    // The names query picks the rooms (name, and a role or NULL); this adds each one's record and
    // activity, most recently active first. The newest message is read by the primary key (room, seq).
    private async Task<List<(RoomSummary Summary, long? Role)>> ReadSummariesAsync(string names, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        var limit = parameters.Any(p => p.Item1 == "$limit") ? "LIMIT $limit" : "";
        using var command = Command(connection, null, $"""
            SELECT n.name, {RecordColumns}, COALESCE(c.last_seq, 0),
                   n.role,
                   (SELECT m.sent_at FROM messages m WHERE m.room = n.name ORDER BY m.seq DESC LIMIT 1) AS last_at
            FROM ({names}) n
            LEFT JOIN room_records ON room_records.room = n.name
            LEFT JOIN rooms c ON c.room = n.name
            ORDER BY last_at IS NULL, last_at DESC, n.name
            {limit}
            """, parameters);
        var result = new List<(RoomSummary, long?)>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result.Add((new RoomSummary(reader.GetString(0), reader.IsDBNull(1) ? null : ReadRecord(reader, 1),
                reader.GetInt64(7), reader.IsDBNull(9) ? null : FromUnixMs(reader.GetInt64(9))),
                reader.IsDBNull(8) ? null : reader.GetInt64(8)));
        }
        return result;
    }

    public async Task<IReadOnlyList<RoomStanding>> ListMembersAsync(string room, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        using var command = Command(connection, null, $"SELECT {StandingColumns} FROM room_standings WHERE room = $room AND role IS NOT NULL", ("$room", room));
        var result = new List<RoomStanding>();
        using var reader = command.ExecuteReader();
        while (reader.Read()) result.Add(ReadStanding(reader));
        return result;
    }

    public Task<(MemberAddition Outcome, RoomStanding Standing)> AddMemberAsync(string room, ChatUser user, RoomRole role, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync((room, user, role, at), static (db, a) =>
        {
            using var transaction = db.BeginTransaction();
            var current = ReadStanding(db, transaction, a.room, a.user.Id);
            if (current?.Role is not null) return (MemberAddition.AlreadyMember, current);
            if (current?.Ban is { } ban && ban.IsActive(a.at)) return (MemberAddition.Banned, current);
            Execute(db, transaction, """
                INSERT INTO room_standings (room, user_id, name, role, joined_at) VALUES ($room, $user, $name, $role, $at)
                ON CONFLICT (room, user_id) DO UPDATE SET name = excluded.name, role = excluded.role, joined_at = excluded.joined_at
                """,
                ("$room", a.room), ("$user", a.user.Id), ("$name", a.user.Name), ("$role", (long)a.role), ("$at", Ms(a.at)));
            var added = ReadStanding(db, transaction, a.room, a.user.Id)!;
            transaction.Commit();
            return (MemberAddition.Added, added);
        }, cancellationToken);

    public Task<RoomStanding?> SetRoleAsync(string room, string userId, RoomRole expected, RoomRole role, CancellationToken cancellationToken) =>
        database.WriteAsync((room, userId, expected, role), static (db, a) =>
        {
            using var command = Command(db, null, $"""
                UPDATE room_standings SET role = $role WHERE room = $room AND user_id = $user AND role = $expected
                RETURNING {StandingColumns}
                """, ("$room", a.room), ("$user", a.userId), ("$role", (long)a.role), ("$expected", (long)a.expected));
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadStanding(reader) : null;
        }, cancellationToken);

    public Task<bool> RemoveMemberAsync(string room, string userId, RoomRole expected, CancellationToken cancellationToken) =>
        database.WriteAsync((room, userId, expected), static (db, a) =>
            Execute(db, null, "UPDATE room_standings SET role = NULL, joined_at = NULL WHERE room = $room AND user_id = $user AND role = $expected",
                ("$room", a.room), ("$user", a.userId), ("$expected", (long)a.expected)) == 1,
            cancellationToken);

    public Task MuteAsync(string room, string userId, string? name, DateTimeOffset? until, CancellationToken cancellationToken) =>
        database.WriteAsync((room, userId, name, until), static (db, a) =>
            Execute(db, null, """
                INSERT INTO room_standings (room, user_id, name, muted_until) VALUES ($room, $user, $name, $until)
                ON CONFLICT (room, user_id) DO UPDATE SET name = COALESCE(excluded.name, name), muted_until = excluded.muted_until
                """, ("$room", a.room), ("$user", a.userId), ("$name", a.name), ("$until", a.until is { } u ? Ms(u) : null)),
            cancellationToken);

    public Task<bool> BanAsync(string room, string userId, string? name, RoomBan ban, bool removeRole, RoomRole? expectedRole, CancellationToken cancellationToken) =>
        database.WriteAsync((room, userId, name, ban, removeRole, expectedRole), static (db, a) =>
        {
            using var transaction = db.BeginTransaction();
            if (ReadStanding(db, transaction, a.room, a.userId)?.Role != a.expectedRole) return false;
            Execute(db, transaction, $"""
                INSERT INTO room_standings (room, user_id, name, banned_at, ban_until) VALUES ($room, $user, $name, $at, $until)
                ON CONFLICT (room, user_id) DO UPDATE SET name = COALESCE(excluded.name, name),
                    banned_at = excluded.banned_at, ban_until = excluded.ban_until
                    {(a.removeRole ? ", role = NULL, joined_at = NULL" : "")}
                """,
                ("$room", a.room), ("$user", a.userId), ("$name", a.name), ("$at", Ms(a.ban.At)), ("$until", a.ban.Until is { } u ? Ms(u) : null));
            transaction.Commit();
            return true;
        }, cancellationToken);

    public Task UnbanAsync(string room, string userId, CancellationToken cancellationToken) =>
        database.WriteAsync((room, userId), static (db, a) =>
            Execute(db, null, "UPDATE room_standings SET banned_at = NULL, ban_until = NULL WHERE room = $room AND user_id = $user",
                ("$room", a.room), ("$user", a.userId)),
            cancellationToken);

    public Task<int?> UseInviteAsync(string inviteId, string room, int? maxUses, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        database.WriteAsync((inviteId, room, maxUses, expiresAt), static (db, a) =>
        {
            // The upsert's WHERE makes the last use and every one after it one atomic decision.
            using var command = Command(db, null, """
                INSERT INTO invite_uses (invite_id, room, uses, expires_at) VALUES ($id, $room, 1, $expires)
                ON CONFLICT (invite_id) DO UPDATE SET uses = uses + 1 WHERE $max IS NULL OR uses < $max
                RETURNING uses
                """, ("$id", a.inviteId), ("$room", a.room), ("$expires", Ms(a.expiresAt)), ("$max", a.maxUses));
            return command.ExecuteScalar() is long uses ? (int?)uses : null;
        }, cancellationToken);

    public Task AddModerationRecordAsync(ModerationRecord record, CancellationToken cancellationToken) =>
        database.WriteAsync(record, static (db, r) =>
            Execute(db, null, """
                INSERT INTO moderation_records (room, id, action, by_id, by_name, user_id, user_name, at, until, reason, role)
                VALUES ($room, $id, $action, $by, $byName, $user, $userName, $at, $until, $reason, $role)
                """,
                ("$room", r.Room), ("$id", r.Id), ("$action", r.Action), ("$by", r.By.Id), ("$byName", r.By.Name),
                ("$user", r.UserId), ("$userName", r.UserName), ("$at", Ms(r.At)), ("$until", r.Until is { } u ? Ms(u) : null),
                ("$reason", r.Reason), ("$role", r.Role is { } role ? (long)role : null)),
            cancellationToken);

    public async Task<IReadOnlyList<ModerationRecord>> ListModerationAsync(string room, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        using var command = Command(connection, null, """
            SELECT id, action, by_id, by_name, user_id, user_name, at, until, reason, role FROM moderation_records
            WHERE room = $room ORDER BY at DESC, id DESC LIMIT $limit
            """, ("$room", room), ("$limit", limit));
        var result = new List<ModerationRecord>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result.Add(new ModerationRecord(reader.GetString(0), room, reader.GetString(1), new ChatUser(reader.GetString(2), reader.GetString(3)),
                reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), FromUnixMs(reader.GetInt64(6)),
                reader.IsDBNull(7) ? null : FromUnixMs(reader.GetInt64(7)),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : (RoomRole)reader.GetInt64(9)));
        }
        return result;
    }

    public Task<long> MarkReadAsync(string room, string userId, long seq, CancellationToken cancellationToken) =>
        database.WriteAsync((room, userId, seq), static (db, a) =>
        {
            using var command = Command(db, null, """
                INSERT INTO read_positions (user_id, room, seq) VALUES ($user, $room, $seq)
                ON CONFLICT (user_id, room) DO UPDATE SET seq = MAX(seq, excluded.seq)
                RETURNING seq
                """, ("$user", a.userId), ("$room", a.room), ("$seq", a.seq));
            return (long)command.ExecuteScalar()!;
        }, cancellationToken);

    public async Task<IReadOnlyDictionary<string, long>> GetReadPositionsAsync(string userId, IReadOnlyCollection<string> rooms, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        if (rooms.Count == 0) return result;
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        using var command = Command(connection, null,
            "SELECT room, seq FROM read_positions WHERE user_id = $user AND room IN (SELECT value FROM json_each($rooms))",
            ("$user", userId), ("$rooms", System.Text.Json.JsonSerializer.Serialize(rooms)));
        using var reader = command.ExecuteReader();
        while (reader.Read()) result[reader.GetString(0)] = reader.GetInt64(1);
        return result;
    }

    public async Task CheckHealthAsync(CancellationToken cancellationToken)
    {
        await database.CheckHealthAsync(cancellationToken);
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        using var command = Command(connection, null, "SELECT COUNT(*) FROM room_records");
        command.ExecuteScalar();
    }

    private const string RecordColumns = "room_records.room, visibility, title, owner_id, owner_name, created_at";

    private static Room ReadRecord(SqliteDataReader r, int at) => new(
        r.GetString(at),
        r.GetString(at + 1) == "private" ? RoomVisibility.Private : RoomVisibility.Public,
        r.IsDBNull(at + 2) ? null : r.GetString(at + 2),
        new ChatUser(r.GetString(at + 3), r.GetString(at + 4)),
        FromUnixMs(r.GetInt64(at + 5)));

    private const string StandingColumns = "room, user_id, name, role, joined_at, muted_until, banned_at, ban_until";

    private static RoomStanding? ReadStanding(SqliteConnection db, SqliteTransaction? transaction, string room, string userId)
    {
        using var command = Command(db, transaction, $"SELECT {StandingColumns} FROM room_standings WHERE room = $room AND user_id = $user",
            ("$room", room), ("$user", userId));
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadStanding(reader) : null;
    }

    private static RoomStanding ReadStanding(SqliteDataReader r) => new(r.GetString(0), r.GetString(1))
    {
        Name = r.IsDBNull(2) ? null : r.GetString(2),
        Role = r.IsDBNull(3) ? null : (RoomRole)r.GetInt64(3),
        JoinedAt = r.IsDBNull(4) ? null : FromUnixMs(r.GetInt64(4)),
        MutedUntil = r.IsDBNull(5) ? null : FromUnixMs(r.GetInt64(5)),
        Ban = r.IsDBNull(6) ? null : new RoomBan(FromUnixMs(r.GetInt64(6)), r.IsDBNull(7) ? null : FromUnixMs(r.GetInt64(7))),
    };

    private static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static SqliteCommand Command(SqliteConnection db, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = db.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    private static int Execute(SqliteConnection db, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(db, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection db, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(db, transaction, sql, parameters);
        return command.ExecuteScalar();
    }
}
