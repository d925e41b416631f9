using ChatDemo.Web.Chat;
using Microsoft.Data.Sqlite;

namespace ChatDemo.Web.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. Writes go through one long-lived connection
/// behind a gate (SQLite has one writer anyway); reads use pooled connections and run alongside.
/// </summary>
public sealed class SqliteChatStore : IChatStore, IMessageChangeStore, IMessageRetention, IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private SqliteConnection? _writer;
    private AppendStatements? _appendStatements;

    public SqliteChatStore(string databasePath)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(databasePath));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>Creates the schema if missing. Called once at start-up.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            var writer = await GetWriterAsync(cancellationToken);
            await using var command = writer.CreateCommand();
            command.CommandText = SqliteSchema.Create;
            await command.ExecuteNonQueryAsync(cancellationToken);
            await AddMissingColumnsAsync(writer, cancellationToken);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private static async Task AddMissingColumnsAsync(SqliteConnection writer, CancellationToken cancellationToken)
    {
        foreach (var (table, column, definition) in SqliteSchema.AddedColumns)
        {
            await using var exists = writer.CreateCommand();
            exists.CommandText = "SELECT COUNT(*) FROM pragma_table_info($table) WHERE name = $column";
            exists.Parameters.AddWithValue("$table", table);
            exists.Parameters.AddWithValue("$column", column);
            if ((long)(await exists.ExecuteScalarAsync(cancellationToken))! > 0) continue;
            await using var add = writer.CreateCommand();
            add.CommandText = $"ALTER TABLE {table} ADD COLUMN {column} {definition}";
            await add.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var index = writer.CreateCommand();
        index.CommandText = SqliteSchema.CreateRevisionIndex;
        await index.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<IReadOnlyList<AppendResult>> AppendMessagesAsync(IReadOnlyList<NewMessage> messages, CancellationToken cancellationToken) =>
        WriteAsync((Store: this, Messages: messages), static (connection, s) => s.Store.Append(connection, s.Messages), cancellationToken);

    // The send path: its three statements are prepared once on the writer connection and reused,
    // rather than parsed and planned again for every message; a batch shares one transaction
    // (one WAL commit), which is what lets a busy room write hundreds of messages a second.
    private IReadOnlyList<AppendResult> Append(SqliteConnection connection, IReadOnlyList<NewMessage> messages)
    {
        var statements = _appendStatements ??= new AppendStatements(connection);
        var results = new AppendResult[messages.Count];
        using var transaction = connection.BeginTransaction();
        for (var i = 0; i < messages.Count; i++)
        {
            var m = messages[i];
            if (statements.FindExisting(transaction, m) is { } existing)
            {
                results[i] = new AppendResult(existing, Duplicate: true);
                continue;
            }
            var seq = statements.NextSeq(transaction, m.Room);
            statements.Insert(transaction, m, seq);
            results[i] = new AppendResult(
                new ChatMessage(m.Room, seq, m.Id, m.ClientMessageId, m.Sender, m.Text, ChatTime.Truncate(m.SentAt)) { ReplyTo = m.ReplyTo },
                Duplicate: false);
        }
        transaction.Commit();
        return results;
    }

    /// <summary><see cref="AppendMessagesAsync"/>'s statements, bound to one writer connection.</summary>
    private sealed class AppendStatements : IDisposable
    {
        private readonly SqliteCommand _find;
        private readonly SqliteCommand _nextSeq;
        private readonly SqliteCommand _insert;

        public AppendStatements(SqliteConnection writer)
        {
            _find = Command(writer, $"""
                SELECT {MessageColumns} FROM messages
                WHERE room = $room AND sender_id = $sid AND client_message_id = $cid
                """, "$room", "$sid", "$cid");
            _nextSeq = Command(writer, """
                INSERT INTO rooms (room, last_seq) VALUES ($room, 1)
                ON CONFLICT (room) DO UPDATE SET last_seq = last_seq + 1
                RETURNING last_seq
                """, "$room");
            _insert = Command(writer, """
                INSERT INTO messages (room, seq, id, client_message_id, sender_id, sender_name, text, sent_at, expires_at, reply_to)
                VALUES ($room, $seq, $id, $cid, $sid, $sname, $text, $sent, $expires, $reply)
                """, "$room", "$seq", "$id", "$cid", "$sid", "$sname", "$text", "$sent", "$expires", "$reply");
        }

        public ChatMessage? FindExisting(SqliteTransaction transaction, NewMessage m)
        {
            _find.Transaction = transaction;
            _find.Parameters["$room"].Value = m.Room;
            _find.Parameters["$sid"].Value = m.Sender.Id;
            _find.Parameters["$cid"].Value = m.ClientMessageId;
            using var reader = _find.ExecuteReader();
            return reader.Read() ? ReadMessage(reader) : null;
        }

        public long NextSeq(SqliteTransaction transaction, string room)
        {
            _nextSeq.Transaction = transaction;
            _nextSeq.Parameters["$room"].Value = room;
            return (long)_nextSeq.ExecuteScalar()!;
        }

        public void Insert(SqliteTransaction transaction, NewMessage m, long seq)
        {
            _insert.Transaction = transaction;
            var p = _insert.Parameters;
            p["$room"].Value = m.Room;
            p["$seq"].Value = seq;
            p["$id"].Value = m.Id;
            p["$cid"].Value = m.ClientMessageId;
            p["$sid"].Value = m.Sender.Id;
            p["$sname"].Value = m.Sender.Name;
            p["$text"].Value = m.Text;
            p["$sent"].Value = m.SentAt.ToUnixTimeMilliseconds();
            p["$expires"].Value = m.ExpiresAt.ToUnixTimeMilliseconds();
            p["$reply"].Value = (object?)m.ReplyTo ?? DBNull.Value;
            _insert.ExecuteNonQuery();
        }

        private static SqliteCommand Command(SqliteConnection writer, string sql, params string[] parameters)
        {
            var command = writer.CreateCommand();
            command.CommandText = sql;
            foreach (var name in parameters) command.Parameters.Add(new SqliteParameter { ParameterName = name });
            return command;
        }

        public void Dispose()
        {
            _find.Dispose();
            _nextSeq.Dispose();
            _insert.Dispose();
        }
    }

    public async Task<MessagePage> GetMessagesAsync(string room, HistoryQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        // One read transaction: the revision and the page come from the same snapshot, so every
        // change up to the revision is in the page (protocol.md 10.7).
        await using var transaction = connection.BeginTransaction(deferred: true);
        var revision = ReadRevision(connection, transaction, room);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var (filter, order) = query switch
        {
            { After: { } } => ("AND seq > $bound", "ASC"),
            { Before: { } } => ("AND seq < $bound", "DESC"),
            _ => ("", "DESC"),
        };
        command.CommandText = $"SELECT {MessageColumns} FROM messages WHERE room = $room {filter} ORDER BY seq {order} LIMIT $take";
        command.Parameters.AddWithValue("$room", room);
        command.Parameters.AddWithValue("$bound", query.After ?? query.Before ?? 0);
        command.Parameters.AddWithValue("$take", query.Limit + 1);

        var messages = new List<ChatMessage>(query.Limit + 1);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) messages.Add(ReadMessage(reader));
        }
        var hasMore = messages.Count > query.Limit;
        if (hasMore) messages.RemoveAt(messages.Count - 1);
        if (order == "DESC") messages.Reverse();
        return new MessagePage(messages, hasMore) { Revision = revision };
    }

    private static long ReadRevision(SqliteConnection connection, SqliteTransaction transaction, string room)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT last_revision FROM rooms WHERE room = $room";
        command.Parameters.AddWithValue("$room", room);
        return command.ExecuteScalar() is long revision ? revision : 0;
    }

    public Task<ChangeOutcome> ChangeMessageAsync(string room, long seq, MessageChange change, ChatUser by, DateTimeOffset at, CancellationToken cancellationToken) =>
        WriteAsync((room, seq, change, by, at), static (db, c) =>
        {
            // Read, decide and write in one transaction on the single writer: racing changes to a
            // message are applied one after the other, each to the state the previous one left.
            using var transaction = db.BeginTransaction();
            if (ReadMessage(db, transaction, c.room, c.seq) is not { } current) return MessageRules.UnknownMessage(c.seq);
            var outcome = MessageRules.Apply(current, c.change, c.by, c.at);
            if (outcome is not ChangeOutcome.Changed changed) return outcome;

            using var nextRevision = db.CreateCommand();
            nextRevision.Transaction = transaction;
            nextRevision.CommandText = "UPDATE rooms SET last_revision = last_revision + 1 WHERE room = $room RETURNING last_revision";
            nextRevision.Parameters.AddWithValue("$room", c.room);
            var next = changed.Next with { Revision = (long)nextRevision.ExecuteScalar()! };

            using var update = db.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = """
                UPDATE messages SET text = $text, version = $version, revision = $revision, reply_to = $reply,
                    edited_at = $edited, deleted_at = $deleted, reactions = $reactions
                WHERE room = $room AND seq = $seq
                """;
            update.Parameters.AddWithValue("$text", next.Text);
            update.Parameters.AddWithValue("$version", next.Version);
            update.Parameters.AddWithValue("$revision", next.Revision);
            update.Parameters.AddWithValue("$reply", (object?)next.ReplyTo ?? DBNull.Value);
            update.Parameters.AddWithValue("$edited", (object?)next.EditedAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
            update.Parameters.AddWithValue("$deleted", (object?)next.DeletedAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
            update.Parameters.AddWithValue("$reactions", (object?)StoredReactions.Encode(next.Reactions) ?? DBNull.Value);
            update.Parameters.AddWithValue("$room", c.room);
            update.Parameters.AddWithValue("$seq", c.seq);
            update.ExecuteNonQuery();
            transaction.Commit();
            return new ChangeOutcome.Changed(next);
        }, cancellationToken);

    public async Task<ChatMessage?> GetMessageAsync(string room, long seq, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        return ReadMessage(connection, null, room, seq);
    }

    private static ChatMessage? ReadMessage(SqliteConnection connection, SqliteTransaction? transaction, string room, long seq)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {MessageColumns} FROM messages WHERE room = $room AND seq = $seq";
        command.Parameters.AddWithValue("$room", room);
        command.Parameters.AddWithValue("$seq", seq);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadMessage(reader) : null;
    }

    public async Task<MessagePage> GetChangedSinceAsync(string room, long revision, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: true);
        var current = ReadRevision(connection, transaction, room);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {MessageColumns} FROM messages WHERE room = $room AND revision > $since ORDER BY revision LIMIT $take";
        command.Parameters.AddWithValue("$room", room);
        command.Parameters.AddWithValue("$since", revision);
        command.Parameters.AddWithValue("$take", limit + 1);
        var messages = new List<ChatMessage>(limit + 1);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) messages.Add(ReadMessage(reader));
        }
        var hasMore = messages.Count > limit;
        if (hasMore) messages.RemoveAt(messages.Count - 1);
        // Each message is listed once, at its latest change: a page that stops early is complete
        // up to its last message's revision; the last page up to the room's.
        return new MessagePage(messages, hasMore) { Revision = hasMore ? messages[^1].Revision : current };
    }

    public Task<bool> AddConnectionAsync(ChatConnection connection, CancellationToken cancellationToken) =>
        WriteAsync(connection, static (db, c) =>
        {
            using var transaction = db.BeginTransaction();
            using var insert = db.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO connections (connection_id, room, user_id, user_name, connected_at, admin)
                VALUES ($id, $room, $uid, $uname, $at, $admin)
                ON CONFLICT (connection_id) DO NOTHING
                """;
            insert.Parameters.AddWithValue("$id", c.ConnectionId);
            insert.Parameters.AddWithValue("$room", c.Room);
            insert.Parameters.AddWithValue("$uid", c.User.Id);
            insert.Parameters.AddWithValue("$uname", c.User.Name);
            insert.Parameters.AddWithValue("$at", c.ConnectedAt.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("$admin", c.Admin ? 1 : 0);
            var added = insert.ExecuteNonQuery() == 1;
            var first = added && CountUserConnections(db, transaction, c.Room, c.User.Id) == 1;
            transaction.Commit();
            return first;
        }, cancellationToken);

    public Task<RemovedConnection?> RemoveConnectionAsync(string connectionId, CancellationToken cancellationToken) =>
        WriteAsync(connectionId, static (db, id) =>
        {
            using var transaction = db.BeginTransaction();
            var removed = DeleteConnection(db, transaction, id);
            transaction.Commit();
            return removed;
        }, cancellationToken);

    public Task<IReadOnlyList<RemovedConnection>> RemoveStaleConnectionsAsync(DateTimeOffset connectedBefore, CancellationToken cancellationToken) =>
        WriteAsync(connectedBefore, static (db, before) =>
        {
            using var transaction = db.BeginTransaction();
            using var select = db.CreateCommand();
            select.Transaction = transaction;
            select.CommandText = "SELECT connection_id FROM connections WHERE connected_at < $before";
            select.Parameters.AddWithValue("$before", before.ToUnixTimeMilliseconds());
            var ids = new List<string>();
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read()) ids.Add(reader.GetString(0));
            }
            var removed = new List<RemovedConnection>(ids.Count);
            foreach (var id in ids)
            {
                if (DeleteConnection(db, transaction, id) is { } r) removed.Add(r);
            }
            transaction.Commit();
            return (IReadOnlyList<RemovedConnection>)removed;
        }, cancellationToken);

    private static RemovedConnection? DeleteConnection(SqliteConnection db, SqliteTransaction transaction, string connectionId)
    {
        using var delete = db.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = "DELETE FROM connections WHERE connection_id = $id RETURNING " + ConnectionColumns;
        delete.Parameters.AddWithValue("$id", connectionId);
        ChatConnection? gone;
        using (var reader = delete.ExecuteReader())
        {
            gone = reader.Read() ? ReadConnection(reader) : null;
        }
        if (gone is null) return null;
        return new RemovedConnection(gone, CountUserConnections(db, transaction, gone.Room, gone.User.Id) == 0);
    }

    private static long CountUserConnections(SqliteConnection db, SqliteTransaction transaction, string room, string userId)
    {
        using var count = db.CreateCommand();
        count.Transaction = transaction;
        count.CommandText = "SELECT COUNT(*) FROM connections WHERE room = $room AND user_id = $uid";
        count.Parameters.AddWithValue("$room", room);
        count.Parameters.AddWithValue("$uid", userId);
        return (long)count.ExecuteScalar()!;
    }

    public async Task<ChatConnection?> GetConnectionAsync(string connectionId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ConnectionColumns} FROM connections WHERE connection_id = $id";
        command.Parameters.AddWithValue("$id", connectionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadConnection(reader) : null;
    }

    public async Task<IReadOnlyList<PresentUser>> GetPresenceAsync(string room, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT user_id, MIN(user_name), MIN(connected_at) AS since FROM connections
            WHERE room = $room GROUP BY user_id ORDER BY since, user_id
            """;
        command.Parameters.AddWithValue("$room", room);
        var result = new List<PresentUser>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            result.Add(new PresentUser(reader.GetString(0), reader.GetString(1), FromUnixMs(reader.GetInt64(2))));
        return result;
    }

    public async Task<IReadOnlyList<ChatConnection>> GetUserConnectionsAsync(string room, string userId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ConnectionColumns} FROM connections WHERE room = $room AND user_id = $user ORDER BY connected_at, connection_id";
        command.Parameters.AddWithValue("$room", room);
        command.Parameters.AddWithValue("$user", userId);
        var result = new List<ChatConnection>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) result.Add(ReadConnection(reader));
        return result;
    }

    public Task<int> DeleteExpiredMessagesAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(now, static (db, at) =>
        {
            // An expired invitation's use count goes too: the invitation admits nobody any more.
            using var invites = db.CreateCommand();
            invites.CommandText = "DELETE FROM invite_uses WHERE expires_at < $now";
            invites.Parameters.AddWithValue("$now", at.ToUnixTimeMilliseconds());
            invites.ExecuteNonQuery();
            using var delete = db.CreateCommand();
            delete.CommandText = "DELETE FROM messages WHERE expires_at < $now";
            delete.Parameters.AddWithValue("$now", at.ToUnixTimeMilliseconds());
            return delete.ExecuteNonQuery();
        }, cancellationToken);

    public async Task CheckHealthAsync(CancellationToken cancellationToken)
    {
        // A fresh, unpooled connection: a pooled one could hide a database that is gone.
        var builder = new SqliteConnectionStringBuilder(_connectionString) { Pooling = false, Mode = SqliteOpenMode.ReadWrite };
        await using var connection = new SqliteConnection(builder.ToString());
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM rooms";
        await command.ExecuteScalarAsync(cancellationToken);
    }

    private const string MessageColumns =
        "room, seq, id, client_message_id, sender_id, sender_name, text, sent_at, version, revision, reply_to, edited_at, deleted_at, reactions";

    private static ChatMessage ReadMessage(SqliteDataReader r) => new(
        r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetString(3),
        new ChatUser(r.GetString(4), r.GetString(5)), r.GetString(6), FromUnixMs(r.GetInt64(7)))
    {
        Version = r.GetInt64(8),
        Revision = r.GetInt64(9),
        ReplyTo = r.IsDBNull(10) ? null : r.GetInt64(10),
        EditedAt = r.IsDBNull(11) ? null : FromUnixMs(r.GetInt64(11)),
        DeletedAt = r.IsDBNull(12) ? null : FromUnixMs(r.GetInt64(12)),
        Reactions = StoredReactions.Decode(r.IsDBNull(13) ? null : r.GetString(13)),
    };

    private const string ConnectionColumns = "connection_id, room, user_id, user_name, connected_at, admin";

    private static ChatConnection ReadConnection(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), new ChatUser(r.GetString(2), r.GetString(3)), FromUnixMs(r.GetInt64(4)))
    {
        Admin = r.GetInt64(5) != 0,
    };

    internal static DateTimeOffset FromUnixMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    // Writes are short and synchronous inside the gate: SQLite's API is synchronous underneath,
    // and holding the single writer connection for the whole transaction keeps it atomic.
    internal async Task<TResult> WriteAsync<TState, TResult>(TState state, Func<SqliteConnection, TState, TResult> write, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            var writer = await GetWriterAsync(cancellationToken);
            return write(writer, state);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task<SqliteConnection> GetWriterAsync(CancellationToken cancellationToken)
    {
        if (_writer is { State: System.Data.ConnectionState.Open }) return _writer;
        _appendStatements?.Dispose();
        _appendStatements = null;
        _writer?.Dispose();
        var writer = new SqliteConnection(_connectionString);
        await writer.OpenAsync(cancellationToken);
        await using (var pragma = writer.CreateCommand())
        {
            // NORMAL in WAL mode: a commit survives a crash of the process; only a power loss
            // may lose the last transactions.
            // secure_delete: a deleted message's text is overwritten in the file, not just unlinked
            // (protocol.md 10.5: removed from storage, not hidden).
            pragma.CommandText = "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }
        _writer = writer;
        return writer;
    }

    internal async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        await _writeGate.WaitAsync();
        try
        {
            _appendStatements?.Dispose();
            _appendStatements = null;
            if (_writer is not null) await _writer.DisposeAsync();
            _writer = null;
        }
        finally
        {
            _writeGate.Release();
        }
    }
}
