using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Rooms;
using static ChatDemo.Web.Storage.DynamoDb.DynamoDbValues;
using K = ChatDemo.Web.Storage.DynamoDb.DynamoDbItemKeys;
using M = ChatDemo.Web.Storage.DynamoDb.DynamoDbTables.Messages;
using R = ChatDemo.Web.Storage.DynamoDb.DynamoDbTables.Rooms;

namespace ChatDemo.Web.Storage.DynamoDb;

/// <summary>
/// Rooms on DynamoDB (docs/dynamodb.md, "Rooms"), without transactions: every write the port
/// needs to be atomic is one conditional <c>PutItem</c> or <c>UpdateItem</c> of one item. A user's
/// role, mute and ban are one item, so a ban that ends a membership is one write; an invitation's
/// uses are one counter, incremented under the condition that it is below the maximum; a read
/// position moves under the condition that it is lower. A room's activity (its last seq and when
/// its last message was sent) is the message counter item the send path keeps, listed by the
/// messages table's activity index.
/// </summary>
public sealed class DynamoDbRoomStore(IAmazonDynamoDB client, DynamoDbTableNames tables, TimeSpan? callTimeout = null) : IRoomStore
{
    /// <summary>Rounds of a join that keeps meeting a standing changed by someone else since it was read.</summary>
    private const int MaxJoinRounds = 5;

    private readonly DynamoDbDeadline _deadline = new(callTimeout ?? DynamoDbDeadline.Default);

    // The room's record is written once, only if absent; the owner's standing follows. RoomPolicy
    // reads the owner from the record, so a crash between the two writes loses nothing but the
    // owner's place in the ByMember index, which a retry (AlreadyCreated) does not restore: the
    // owner then finds the room by name. A message whose seq is taken in the instant between the
    // counter's read and the record's write is kept: the room had been ownerless when it was sent.
    public Task<RoomCreation> CreateRoomAsync(Room room, CancellationToken cancellationToken) =>
        _deadline.RunAsync(async token =>
        {
            if (await ReadActivityAsync(room.Name, token) is { LastSeq: > 0 }) return RoomCreation.HasMessages;
            var record = new Dictionary<string, AttributeValue>(RoomsKey(K.RoomRecords, room.Name))
            {
                [R.Visibility] = new() { S = RoomRules.VisibilityName(room.Visibility) },
                [R.OwnerId] = new() { S = room.Owner.Id },
                [R.OwnerName] = new() { S = room.Owner.Name },
                [R.CreatedAt] = Number(room.CreatedAt.ToUnixTimeMilliseconds()),
            };
            if (room.Title is { } title) record[R.Title] = new() { S = title };
            if (!await client.PutIfAbsentAsync(tables.Rooms, record, R.PartitionKey, token)) return RoomCreation.AlreadyCreated;

            await client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tables.Rooms,
                Key = RoomsKey(room.Name, K.Standing(room.Owner.Id)),
                UpdateExpression = "SET #user = :user, #name = :name, #role = :role, #member = :user, #joined = :at",
                ExpressionAttributeNames = Names("#user", R.UserId, "#name", R.Name, "#role", R.Role, "#member", R.ByMemberPartitionKey, "#joined", R.JoinedAt),
                ExpressionAttributeValues = new()
                {
                    [":user"] = new() { S = room.Owner.Id },
                    [":name"] = new() { S = room.Owner.Name },
                    [":role"] = new() { S = RoomRules.RoleName(RoomRole.Owner) },
                    [":at"] = Number(room.CreatedAt.ToUnixTimeMilliseconds()),
                },
            }, token);
            return RoomCreation.Created;
        }, cancellationToken);

    public Task<RoomAccess> GetAccessAsync(string room, string userId, CancellationToken cancellationToken) =>
        _deadline.RunAsync(async token =>
        {
            var record = ReadRecordAsync(room, token);
            var standing = ReadStandingAsync(room, userId, token);
            return new RoomAccess(await record, await standing);
        }, cancellationToken);

    public Task<RoomSummary?> GetSummaryAsync(string room, CancellationToken cancellationToken) =>
        _deadline.RunAsync(token => SummaryAsync(room, token), cancellationToken);

    public Task<IReadOnlyList<RoomSummary>> ListPublicRoomsAsync(int limit, CancellationToken cancellationToken) =>
        _deadline.RunAsync<IReadOnlyList<RoomSummary>>(async token =>
        {
            var records = QueryAsync(new QueryRequest
            {
                TableName = tables.Rooms,
                KeyConditionExpression = "#pk = :records",
                ExpressionAttributeNames = Names("#pk", R.PartitionKey),
                ExpressionAttributeValues = new() { [":records"] = new() { S = K.RoomRecords } },
                ConsistentRead = true,
            }, token);
            var activity = Task.WhenAll(Enumerable.Range(0, M.ActivityShards).Select(shard => QueryAsync(new QueryRequest
            {
                TableName = tables.Messages,
                IndexName = M.ByActivityIndex,
                KeyConditionExpression = "#shard = :shard",
                ExpressionAttributeNames = Names("#shard", M.ActivityShard),
                ExpressionAttributeValues = new() { [":shard"] = new() { S = shard.ToString(System.Globalization.CultureInfo.InvariantCulture) } },
            }, token)));

            var created = (await records).Select(ReadRecord).ToDictionary(r => r.Name, StringComparer.Ordinal);
            var active = (await activity).SelectMany(items => items).Select(ReadActivity).ToDictionary(a => a.Room, StringComparer.Ordinal);
            var summaries = created.Values.Where(r => !r.IsPrivate)
                .Select(r => Summary(r.Name, r, active.GetValueOrDefault(r.Name)))
                .Concat(active.Values.Where(a => !created.ContainsKey(a.Room)).Select(a => Summary(a.Room, null, a)));
            return summaries
                .OrderByDescending(s => s.LastMessageAt.HasValue)
                .ThenByDescending(s => s.LastMessageAt)
                .ThenBy(s => s.Name, StringComparer.Ordinal)
                .Take(limit)
                .ToList();
        }, cancellationToken);

    public Task<IReadOnlyList<(RoomSummary Room, RoomRole Role)>> ListRoomsOfUserAsync(string userId, CancellationToken cancellationToken) =>
        _deadline.RunAsync<IReadOnlyList<(RoomSummary Room, RoomRole Role)>>(async token =>
        {
            // The index is eventually consistent on AWS: a membership a moment old may be missing.
            var standings = await QueryAsync(new QueryRequest
            {
                TableName = tables.Rooms,
                IndexName = R.ByMemberIndex,
                KeyConditionExpression = "#member = :user",
                ExpressionAttributeNames = Names("#member", R.ByMemberPartitionKey),
                ExpressionAttributeValues = new() { [":user"] = new() { S = userId } },
            }, token);
            var rooms = await Task.WhenAll(standings.Select(async item =>
                (Summary: await SummaryAsync(item[R.PartitionKey].S, token), Role: ParseRole(item[R.Role].S))));
            return rooms.Where(r => r.Summary is not null).Select(r => (r.Summary!, r.Role)).ToList();
        }, cancellationToken);

    public Task<IReadOnlyList<RoomStanding>> ListMembersAsync(string room, CancellationToken cancellationToken) =>
        _deadline.RunAsync<IReadOnlyList<RoomStanding>>(async token =>
            (await QueryAsync(new QueryRequest
            {
                TableName = tables.Rooms,
                KeyConditionExpression = "#pk = :room AND begins_with(#sk, :standings)",
                FilterExpression = "attribute_exists(#role)",
                ExpressionAttributeNames = Names("#pk", R.PartitionKey, "#sk", R.SortKey, "#role", R.Role),
                ExpressionAttributeValues = new() { [":room"] = new() { S = room }, [":standings"] = new() { S = K.StandingPrefix } },
                ConsistentRead = true,
            }, token)).Select(item => ReadStanding(room, item)).ToList(), cancellationToken);

    // One conditional write: a role is given only to someone without one who is not banned at
    // that moment. When the condition fails, the standing read afterwards says which it was; if
    // it changed again in between (a ban lifted, a role taken), the join goes round once more.
    public Task<(MemberAddition Outcome, RoomStanding Standing)> AddMemberAsync(string room, ChatUser user, RoomRole role, DateTimeOffset at,
        CancellationToken cancellationToken) =>
        _deadline.RunAsync(async token =>
        {
            for (var round = 0; round < MaxJoinRounds; round++)
            {
                var added = await UpdateIfAsync(new UpdateItemRequest
                {
                    Key = RoomsKey(room, K.Standing(user.Id)),
                    UpdateExpression = "SET #user = :user, #name = :name, #role = :role, #member = :user, #joined = :at",
                    ConditionExpression = "attribute_not_exists(#role) AND (attribute_not_exists(#bannedAt) OR (attribute_exists(#bannedUntil) AND #bannedUntil <= :at))",
                    ExpressionAttributeNames = Names("#user", R.UserId, "#name", R.Name, "#role", R.Role, "#member", R.ByMemberPartitionKey,
                        "#joined", R.JoinedAt, "#bannedAt", R.BannedAt, "#bannedUntil", R.BannedUntil),
                    ExpressionAttributeValues = new()
                    {
                        [":user"] = new() { S = user.Id },
                        [":name"] = new() { S = user.Name },
                        [":role"] = new() { S = RoomRules.RoleName(role) },
                        [":at"] = Number(at.ToUnixTimeMilliseconds()),
                    },
                    ReturnValues = ReturnValue.ALL_NEW,
                }, token);
                if (added is not null) return (MemberAddition.Added, ReadStanding(room, added));

                var standing = await ReadStandingAsync(room, user.Id, token);
                if (standing?.Role is not null) return (MemberAddition.AlreadyMember, standing);
                if (standing?.Ban is { } ban && ban.IsActive(at)) return (MemberAddition.Banned, standing);
            }
            throw new InvalidOperationException(
                $"The standing of {user.Id} in room {room} changed in each of {MaxJoinRounds} attempts to join; the request may be sent again.");
        }, cancellationToken);

    public Task<RoomStanding?> SetRoleAsync(string room, string userId, RoomRole expected, RoomRole role, CancellationToken cancellationToken) =>
        _deadline.RunAsync(async token =>
            await UpdateIfAsync(new UpdateItemRequest
            {
                Key = RoomsKey(room, K.Standing(userId)),
                UpdateExpression = "SET #role = :role",
                ConditionExpression = "#role = :expected",
                ExpressionAttributeNames = Names("#role", R.Role),
                ExpressionAttributeValues = new()
                {
                    [":role"] = new() { S = RoomRules.RoleName(role) },
                    [":expected"] = new() { S = RoomRules.RoleName(expected) },
                },
                ReturnValues = ReturnValue.ALL_NEW,
            }, token) is { } item ? ReadStanding(room, item) : null, cancellationToken);

    public Task<bool> RemoveMemberAsync(string room, string userId, RoomRole expected, CancellationToken cancellationToken) =>
        _deadline.RunAsync(async token =>
            await UpdateIfAsync(new UpdateItemRequest
            {
                Key = RoomsKey(room, K.Standing(userId)),
                UpdateExpression = "REMOVE #role, #member, #joined",
                ConditionExpression = "#role = :expected",
                ExpressionAttributeNames = Names("#role", R.Role, "#member", R.ByMemberPartitionKey, "#joined", R.JoinedAt),
                ExpressionAttributeValues = new() { [":expected"] = new() { S = RoomRules.RoleName(expected) } },
            }, token) is not null, cancellationToken);

    // Lifting a mute never creates a standing (there is nothing to lift); a mute creates one.
    public Task MuteAsync(string room, string userId, string? name, DateTimeOffset? until, CancellationToken cancellationToken) =>
        _deadline.RunAsync(token =>
        {
            var update = new StandingUpdate(userId, name);
            if (until is { } end) update.Set("#muted", R.MutedUntil, Number(end.ToUnixTimeMilliseconds()));
            else update.Remove("#muted", R.MutedUntil);
            return UpdateIfAsync(update.Request(room, until is null ? "attribute_exists(#pk)" : null), token);
        }, cancellationToken);

    public Task<bool> BanAsync(string room, string userId, string? name, RoomBan ban, bool removeRole, RoomRole? expectedRole,
        CancellationToken cancellationToken) =>
        _deadline.RunAsync(async token =>
        {
            var update = new StandingUpdate(userId, name);
            update.Set("#bannedAt", R.BannedAt, Number(ban.At.ToUnixTimeMilliseconds()));
            if (ban.Until is { } until) update.Set("#bannedUntil", R.BannedUntil, Number(until.ToUnixTimeMilliseconds()));
            else update.Remove("#bannedUntil", R.BannedUntil);
            update.Names["#role"] = R.Role;
            if (removeRole)
            {
                update.Remove("#role", R.Role);
                update.Remove("#member", R.ByMemberPartitionKey);
                update.Remove("#joined", R.JoinedAt);
            }
            if (expectedRole is { } expected) update.Values[":expected"] = new() { S = RoomRules.RoleName(expected) };
            var condition = expectedRole is null ? "attribute_not_exists(#role)" : "#role = :expected";
            return await UpdateIfAsync(update.Request(room, condition), token) is not null;
        }, cancellationToken);

    public Task UnbanAsync(string room, string userId, CancellationToken cancellationToken) =>
        _deadline.RunAsync(token => UpdateIfAsync(new UpdateItemRequest
        {
            Key = RoomsKey(room, K.Standing(userId)),
            UpdateExpression = "REMOVE #bannedAt, #bannedUntil",
            ConditionExpression = "attribute_exists(#pk)",
            ExpressionAttributeNames = Names("#bannedAt", R.BannedAt, "#bannedUntil", R.BannedUntil, "#pk", R.PartitionKey),
        }, token), cancellationToken);

    // One counter per invitation: ADD is atomic, and the condition refuses the use that would pass
    // the maximum, so of many racing for the last use exactly one gets it. The item expires with
    // the invitation (TTL), which is refused by its signature's expiry before it is counted.
    public Task<int?> UseInviteAsync(string inviteId, string room, int? maxUses, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        _deadline.RunAsync(async token =>
        {
            var request = new UpdateItemRequest
            {
                Key = RoomsKey(K.Invite(inviteId), K.InviteUses),
                UpdateExpression = "ADD #uses :one SET #room = :room, #ttl = :ttl",
                ExpressionAttributeNames = Names("#uses", R.Uses, "#room", R.Room, "#ttl", DynamoDbTables.TimeToLiveAttribute),
                ExpressionAttributeValues = new()
                {
                    [":one"] = Number(1),
                    [":room"] = new() { S = room },
                    [":ttl"] = Number(expiresAt.ToUnixTimeSeconds()),
                },
                ReturnValues = ReturnValue.UPDATED_NEW,
            };
            if (maxUses is { } max)
            {
                request.ConditionExpression = "attribute_not_exists(#uses) OR #uses < :max";
                request.ExpressionAttributeValues[":max"] = Number(max);
            }
            return await UpdateIfAsync(request, token) is { } item ? (int?)Long(item[R.Uses]) : null;
        }, cancellationToken);

    public Task AddModerationRecordAsync(ModerationRecord record, CancellationToken cancellationToken) =>
        _deadline.RunAsync(token =>
        {
            var item = new Dictionary<string, AttributeValue>(RoomsKey(record.Room, K.ModerationRecord(record.At, record.Id)))
            {
                [R.Id] = new() { S = record.Id },
                [R.Action] = new() { S = record.Action },
                [R.ById] = new() { S = record.By.Id },
                [R.ByName] = new() { S = record.By.Name },
                [R.UserId] = new() { S = record.UserId },
                [R.At] = Number(record.At.ToUnixTimeMilliseconds()),
            };
            if (record.UserName is { } userName) item[R.UserName] = new() { S = userName };
            if (record.Until is { } until) item[R.Until] = Number(until.ToUnixTimeMilliseconds());
            if (record.Reason is { } reason) item[R.Reason] = new() { S = reason };
            if (record.Role is { } role) item[R.Role] = new() { S = RoomRules.RoleName(role) };
            return client.PutItemAsync(new PutItemRequest { TableName = tables.Rooms, Item = item }, token);
        }, cancellationToken);

    public Task<IReadOnlyList<ModerationRecord>> ListModerationAsync(string room, int limit, CancellationToken cancellationToken) =>
        _deadline.RunAsync<IReadOnlyList<ModerationRecord>>(async token =>
            (await QueryAsync(new QueryRequest
            {
                TableName = tables.Rooms,
                KeyConditionExpression = "#pk = :room AND begins_with(#sk, :records)",
                ExpressionAttributeNames = Names("#pk", R.PartitionKey, "#sk", R.SortKey),
                ExpressionAttributeValues = new() { [":room"] = new() { S = room }, [":records"] = new() { S = K.ModerationPrefix } },
                ScanIndexForward = false,
                Limit = limit,
                ConsistentRead = true,
            }, token, limit)).Select(item => ReadModerationRecord(room, item)).ToList(), cancellationToken);

    public Task<long> MarkReadAsync(string room, string userId, long seq, CancellationToken cancellationToken) =>
        _deadline.RunAsync(async token =>
        {
            var key = RoomsKey(K.ReadPositions(userId), room);
            var moved = await UpdateIfAsync(new UpdateItemRequest
            {
                Key = key,
                UpdateExpression = "SET #seq = :seq",
                ConditionExpression = "attribute_not_exists(#seq) OR #seq < :seq",
                ExpressionAttributeNames = Names("#seq", R.Seq),
                ExpressionAttributeValues = new() { [":seq"] = Number(seq) },
                ReturnValues = ReturnValue.UPDATED_NEW,
            }, token);
            // Not moved: the position was already as far or further; the answer is where it is.
            var item = moved ?? await GetAsync(tables.Rooms, key, token)
                ?? throw new InvalidOperationException($"The read position of {userId} in room {room} refused a move but cannot be read.");
            return Long(item[R.Seq]);
        }, cancellationToken);

    public Task<IReadOnlyDictionary<string, long>> GetReadPositionsAsync(string userId, IReadOnlyCollection<string> rooms, CancellationToken cancellationToken) =>
        _deadline.RunAsync<IReadOnlyDictionary<string, long>>(async token =>
        {
            var wanted = rooms.ToHashSet(StringComparer.Ordinal);
            var positions = await QueryAsync(new QueryRequest
            {
                TableName = tables.Rooms,
                KeyConditionExpression = "#pk = :user",
                ExpressionAttributeNames = Names("#pk", R.PartitionKey),
                ExpressionAttributeValues = new() { [":user"] = new() { S = K.ReadPositions(userId) } },
                ConsistentRead = true,
            }, token);
            return positions.Where(item => wanted.Contains(item[R.SortKey].S))
                .ToDictionary(item => item[R.SortKey].S, item => Long(item[R.Seq]), StringComparer.Ordinal);
        }, cancellationToken);

    public Task CheckHealthAsync(CancellationToken cancellationToken) =>
        _deadline.RunAsync(token => GetAsync(tables.Rooms, RoomsKey("#health", "#health"), token), cancellationToken);

    // ---- reads

    private async Task<RoomSummary?> SummaryAsync(string room, CancellationToken cancellationToken)
    {
        var record = ReadRecordAsync(room, cancellationToken);
        var activity = ReadActivityAsync(room, cancellationToken);
        var (created, active) = (await record, await activity);
        return created is null && active is not { LastSeq: > 0 } ? null : Summary(room, created, active);
    }

    private static RoomSummary Summary(string room, Room? created, Activity? activity) =>
        new(room, created, activity?.LastSeq ?? 0, activity?.LastMessageAt);

    private async Task<Room?> ReadRecordAsync(string room, CancellationToken cancellationToken) =>
        await GetAsync(tables.Rooms, RoomsKey(K.RoomRecords, room), cancellationToken) is { } item ? ReadRecord(item) : null;

    private async Task<RoomStanding?> ReadStandingAsync(string room, string userId, CancellationToken cancellationToken) =>
        await GetAsync(tables.Rooms, RoomsKey(room, K.Standing(userId)), cancellationToken) is { } item ? ReadStanding(room, item) : null;

    /// <summary>The room's counter item in the messages table: its last seq and the time of its last message.</summary>
    private async Task<Activity?> ReadActivityAsync(string room, CancellationToken cancellationToken) =>
        await GetAsync(tables.Messages, new()
        {
            [M.PartitionKey] = new() { S = room },
            [M.SortKey] = Number(K.CounterSeq),
        }, cancellationToken) is { } item && item.ContainsKey(M.LastSeq) ? ReadActivity(item) : null;

    private async Task<Dictionary<string, AttributeValue>?> GetAsync(string table, Dictionary<string, AttributeValue> key, CancellationToken cancellationToken)
    {
        var response = await client.GetItemAsync(new GetItemRequest { TableName = table, Key = key, ConsistentRead = true }, cancellationToken);
        return response.Item is { Count: > 0 } item ? item : null;
    }

    /// <summary>Every item the query matches, page by page, or the first <paramref name="limit"/>.</summary>
    private async Task<List<Dictionary<string, AttributeValue>>> QueryAsync(QueryRequest request, CancellationToken cancellationToken, int? limit = null)
    {
        var items = new List<Dictionary<string, AttributeValue>>();
        await foreach (var page in client.Paginators.Query(request).Responses.WithCancellation(cancellationToken))
        {
            items.AddRange(page.Items ?? []);
            if (items.Count >= limit) return items.Take(limit.Value).ToList();
        }
        return items;
    }

    /// <summary>An update of the rooms table; the item after it (as asked), or null when its condition failed.</summary>
    private async Task<Dictionary<string, AttributeValue>?> UpdateIfAsync(UpdateItemRequest request, CancellationToken cancellationToken)
    {
        request.TableName = tables.Rooms;
        try
        {
            var response = await client.UpdateItemAsync(request, cancellationToken);
            return response.Attributes ?? [];
        }
        catch (ConditionalCheckFailedException)
        {
            return null;
        }
    }

    private static Room ReadRecord(Dictionary<string, AttributeValue> item) => new(
        item[R.SortKey].S,
        item[R.Visibility].S == RoomRules.VisibilityName(RoomVisibility.Private) ? RoomVisibility.Private : RoomVisibility.Public,
        item.TryGetValue(R.Title, out var title) ? title.S : null,
        new ChatUser(item[R.OwnerId].S, item[R.OwnerName].S),
        Time(item[R.CreatedAt]));

    private static RoomStanding ReadStanding(string room, Dictionary<string, AttributeValue> item) =>
        new(room, item[R.UserId].S)
        {
            Name = item.TryGetValue(R.Name, out var name) ? name.S : null,
            Role = item.TryGetValue(R.Role, out var role) ? ParseRole(role.S) : null,
            JoinedAt = item.TryGetValue(R.JoinedAt, out var joined) ? Time(joined) : null,
            MutedUntil = item.TryGetValue(R.MutedUntil, out var muted) ? Time(muted) : null,
            Ban = item.TryGetValue(R.BannedAt, out var banned)
                ? new RoomBan(Time(banned), item.TryGetValue(R.BannedUntil, out var until) ? Time(until) : null)
                : null,
        };

    private static ModerationRecord ReadModerationRecord(string room, Dictionary<string, AttributeValue> item) => new(
        item[R.Id].S,
        room,
        item[R.Action].S,
        new ChatUser(item[R.ById].S, item[R.ByName].S),
        item[R.UserId].S,
        item.TryGetValue(R.UserName, out var userName) ? userName.S : null,
        Time(item[R.At]),
        item.TryGetValue(R.Until, out var until) ? Time(until) : null,
        item.TryGetValue(R.Reason, out var reason) ? reason.S : null,
        item.TryGetValue(R.Role, out var role) ? ParseRole(role.S) : null);

    private static Activity ReadActivity(Dictionary<string, AttributeValue> item) => new(
        item[M.PartitionKey].S,
        Long(item[M.LastSeq]),
        item.TryGetValue(M.LastMessageAt, out var at) ? Time(at) : null);

    private static RoomRole ParseRole(string name) =>
        Enum.GetValues<RoomRole>().Single(role => RoomRules.RoleName(role) == name);

    private static DateTimeOffset Time(AttributeValue epochMilliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(Long(epochMilliseconds));

    private static Dictionary<string, AttributeValue> RoomsKey(string partition, string sort) => new()
    {
        [R.PartitionKey] = new() { S = partition },
        [R.SortKey] = new() { S = sort },
    };

    private static Dictionary<string, string> Names(params string[] pairs)
    {
        var names = new Dictionary<string, string>(pairs.Length / 2);
        for (var i = 0; i < pairs.Length; i += 2) names[pairs[i]] = pairs[i + 1];
        return names;
    }

    /// <summary>A room's activity as the message counter item records it.</summary>
    private sealed record Activity(string Room, long LastSeq, DateTimeOffset? LastMessageAt);

    /// <summary>An update of a user's standing that sets and removes attributes; it always records the user's id, and their name when given.</summary>
    private sealed class StandingUpdate
    {
        private readonly string _userId;
        private readonly List<string> _sets = ["#user = :user"];

        public StandingUpdate(string userId, string? name)
        {
            _userId = userId;
            Names["#user"] = R.UserId;
            Values[":user"] = new() { S = userId };
            if (name is null) return;
            Set("#name", R.Name, new AttributeValue { S = name });
        }

        public Dictionary<string, string> Names { get; } = [];

        public Dictionary<string, AttributeValue> Values { get; } = [];

        private List<string> Removes { get; } = [];

        public void Set(string placeholder, string attribute, AttributeValue value)
        {
            Names[placeholder] = attribute;
            Values[":" + placeholder[1..]] = value;
            _sets.Add($"{placeholder} = :{placeholder[1..]}");
        }

        public void Remove(string placeholder, string attribute)
        {
            Names[placeholder] = attribute;
            Removes.Add(placeholder);
        }

        public UpdateItemRequest Request(string room, string? condition)
        {
            if (condition?.Contains("#pk", StringComparison.Ordinal) == true) Names["#pk"] = R.PartitionKey;
            return new UpdateItemRequest
            {
                Key = RoomsKey(room, K.Standing(_userId)),
                UpdateExpression = $"SET {string.Join(", ", _sets)}" + (Removes.Count > 0 ? $" REMOVE {string.Join(", ", Removes)}" : ""),
                ConditionExpression = condition,
                ExpressionAttributeNames = Names,
                ExpressionAttributeValues = Values,
            };
        }
    }
}
