using System.Text;

namespace ChatDemo.Web.Tests.Reliability;

/// <summary>
/// A seeded generator of client frames and strings: valid frames, mutated valid frames, random
/// JSON trees with the protocol's field names, deep nesting, odd numbers and raw bytes. The same
/// seed gives the same cases, so a failure names a reproducible case number.
/// </summary>
public sealed class FrameFuzzer(int seed)
{
    private static readonly string[] Keys = ["action", "clientMessageId", "text", "sender", "userId", "name", "room", "seq", "id", "type", "Action", "",
        "replyTo", "emoji", "op"];
    private static readonly string[] Actions = ["sendMessage", "typing", "ping", "SendMessage", "sendmessage", "pong", "", "sendMessage ", "$connect", "join",
        "editMessage", "deleteMessage", "react", "EditMessage", "react ", "messageUpdated"];
    private static readonly string[] Seqs = ["1", "2", "3", "0", "-1", "1.0", "1e0", "\"1\"", "9007199254740991", "9007199254740992", "null", "[1]"];
    private static readonly string[] Ops = ["add", "remove", "ADD", "", "toggle"];
    private static readonly string[] Numbers = ["0", "-0", "1", "-1", "1e309", "-1e309", "1E+400", "123456789012345678901234567890", "0.1", "1.7976931348623157e308", "9223372036854775808", "-9223372036854775809", "4.9e-324", "1e-400"];

    // Pools of characters that probe the text and name rules: white space, C0/C1 controls, DEL,
    // lone surrogates, format characters, combining marks, letters of several scripts.
    private static readonly string[] Pools =
    [
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
        "_-.' ",
        " \t\n\r\f\v\u00A0\u2028\u2029\u3000\u200B\uFEFF",
        "\u0000\u0001\u0007\u0008\u001B\u001F\u007F\u0080\u0085\u009F",
        "\"\\/{}[]:,#$%&*;<>=?@^`|~!()+",
        "\uD800\uDBFF\uDC00\uDFFF",
        "\u202E\u202C\u200D\u200C\u2066\u00AD",
        "\u0301\u0308\u0903\u20DD",
        "éøßñДжЖ中文字日本語한국어عربيעברית",
    ];

    private static readonly string[] Emoji = ["😀", "👩‍👩‍👧", "🏳️‍🌈", "𝔘", "🇺🇳"];

    // One emoji each (protocol.md 10.5), and near misses: two emoji, a letter, a lone modifier or joiner, ❤ without its selector (valid, and another emoji than ❤️).
    private static readonly string[] Reactions = ["👍", "❤️", "❤", "👍🏽", "🇺🇳", "👩‍💻", "1️⃣", "🏴󠁧󠁢󠁥󠁮󠁧󠁿", "👍👍", "a", "🏽", "\u200d", "👍 ", ""];

    private readonly Random _random = new(seed);

    /// <summary>A random string of up to <paramref name="maxLength"/> UTF-16 units, biased towards the rules' edges.</summary>
    public string NextString(int maxLength = 80)
    {
        var length = _random.Next(4) switch
        {
            0 => _random.Next(0, 4),
            1 => _random.Next(0, maxLength + 1),
            2 => Edge(maxLength),
            _ => _random.Next(0, 40),
        };
        var builder = new StringBuilder(length + 4);
        var pool = Pools[_random.Next(Pools.Length)];
        while (builder.Length < length)
        {
            if (_random.Next(10) == 0) pool = Pools[_random.Next(Pools.Length)];
            if (_random.Next(30) == 0) builder.Append(Emoji[_random.Next(Emoji.Length)]);
            else builder.Append(pool[_random.Next(pool.Length)]);
        }
        return builder.ToString();
    }

    private int Edge(int maxLength)
    {
        int[] edges = [0, 1, 31, 32, 33, 63, 64, 65, 1999, 2000, 2001, 4000];
        return Math.Clamp(edges[_random.Next(edges.Length)] + _random.Next(-1, 2), 0, Math.Max(maxLength, 2));
    }

    /// <summary>A client frame as UTF-8 bytes (not always valid UTF-8 or JSON).</summary>
    public byte[] NextFrame() => _random.Next(10) switch
    {
        0 or 1 => Utf8(ValidSendMessage()),
        2 or 3 or 4 => Mutate(Utf8(ValidSendMessage())),
        5 or 6 => Utf8(RandomObject(depth: 0)),
        7 => Utf8(Nested()),
        8 => RandomBytes(),
        _ => _random.Next(6) switch
        {
            0 => Utf8($$"""{"action":{{JsonString(Actions[_random.Next(Actions.Length)])}}}"""),
            1 => Utf8($$"""{"action":"sendMessage","clientMessageId":{{Value(1)}},"text":{{Value(1)}}}"""),
            2 => Utf8(Change()),
            3 => Mutate(Utf8(Change())),
            4 => Utf8($$"""{"action":"sendMessage","clientMessageId":"r{{_random.Next(1000)}}","text":"re","replyTo":{{Seqs[_random.Next(Seqs.Length)]}}}"""),
            _ => Utf8(Value(0)),
        },
    };

    /// <summary>
    /// A v1.1 change frame aimed at seqs 1–20, valid three times in four (NextFrame's changes rarely
    /// are): edits, reactions added and removed, now and then a delete, a mutation one time in five.
    /// On a live socket most of them meet a stored message, so both the changes and the refusals
    /// against stored state (unknown_message, message_deleted, duplicates) are exercised.
    /// </summary>
    public byte[] NextChangeFrame()
    {
        var seq = _random.Next(4) == 0 ? Seqs[_random.Next(Seqs.Length)] : (1 + _random.Next(20)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var id = _random.Next(4) == 0 ? "" : $",\"clientMessageId\":\"x{_random.Next(1000)}\"";
        var json = _random.Next(10) switch
        {
            0 => $$"""{"action":"deleteMessage","seq":{{seq}}{{id}}}""",
            < 4 => $$"""{"action":"editMessage","seq":{{seq}},"text":{{(_random.Next(3) == 0 ? JsonString(NextString(2100)) : $"\"edit {_random.Next(50)}\"")}}{{id}}}""",
            _ => $$"""{"action":"react","seq":{{seq}},"emoji":"{{Reactions[_random.Next(Reactions.Length)]}}","op":"{{(_random.Next(8) == 0 ? Ops[_random.Next(Ops.Length)] : _random.Next(3) == 0 ? "remove" : "add")}}"{{id}}}""",
        };
        return _random.Next(5) == 0 ? Mutate(Utf8(json)) : Utf8(json);
    }

    /// <summary>A v1.1 change frame (protocol.md 10.2), its fields often valid, sometimes not.</summary>
    private string Change()
    {
        var seq = _random.Next(3) == 0 ? Value(1) : Seqs[_random.Next(Seqs.Length)];
        var id = _random.Next(3) switch { 0 => "", 1 => $",\"clientMessageId\":\"x{_random.Next(1000)}\"", _ => $",\"clientMessageId\":{Value(1)}" };
        return _random.Next(3) switch
        {
            0 => $$"""{"action":"editMessage","seq":{{seq}},"text":{{(_random.Next(2) == 0 ? JsonString(NextString(2100)) : Value(1))}}{{id}}}""",
            1 => $$"""{"action":"deleteMessage","seq":{{seq}}{{id}}}""",
            _ => $$"""{"action":"react","seq":{{seq}},"emoji":{{(_random.Next(2) == 0 ? JsonString(_random.Next(2) == 0 ? Emoji[_random.Next(Emoji.Length)] : NextString(6)) : Value(1))}},"op":{{JsonString(Ops[_random.Next(Ops.Length)])}}{{id}}}""",
        };
    }

    private string ValidSendMessage()
    {
        var id = new string(Enumerable.Range(0, _random.Next(1, 65)).Select(_ => "abcXYZ019_-"[_random.Next(11)]).ToArray());
        return $$"""{"action":"sendMessage","clientMessageId":{{JsonString(id)}},"text":{{JsonString(NextString(2100))}}}""";
    }

    private string RandomObject(int depth)
    {
        var builder = new StringBuilder("{");
        var count = _random.Next(0, 6);
        for (var i = 0; i < count; i++)
        {
            if (i > 0) builder.Append(',');
            var key = _random.Next(4) == 0 ? NextString(10) : Keys[_random.Next(Keys.Length)];
            builder.Append(JsonString(key)).Append(':');
            builder.Append(key == "action" && _random.Next(2) == 0 ? JsonString(Actions[_random.Next(Actions.Length)]) : Value(depth + 1));
        }
        return builder.Append('}').ToString();
    }

    private string Value(int depth) => _random.Next(depth > 4 ? 5 : 8) switch
    {
        0 => JsonString(NextString()),
        1 => Numbers[_random.Next(Numbers.Length)],
        2 => _random.Next(3) switch { 0 => "true", 1 => "false", _ => "null" },
        3 => JsonString(NextString(2100)),
        4 => JsonString(Actions[_random.Next(Actions.Length)]),
        5 => RandomObject(depth + 1),
        6 => "[" + string.Join(',', Enumerable.Range(0, _random.Next(4)).Select(_ => Value(depth + 1))) + "]",
        _ => JsonString(NextString(70)),
    };

    private string Nested()
    {
        var depth = _random.Next(3) == 0 ? _random.Next(60, 70) : _random.Next(1, 12_000);
        var open = _random.Next(2) == 0 ? "[" : "{\"a\":";
        var close = open == "[" ? "]" : "}";
        var inner = _random.Next(2) == 0 ? """{"action":"ping"}""" : "1";
        return string.Concat(Enumerable.Repeat(open, depth)) + inner + string.Concat(Enumerable.Repeat(close, _random.Next(2) == 0 ? depth : _random.Next(depth + 1)));
    }

    private const string Inserts = "{}[]\",:\\0 \u0000\u00ff";

    private byte[] Mutate(byte[] frame)
    {
        var bytes = new List<byte>(frame);
        var mutations = _random.Next(1, 4);
        for (var m = 0; m < mutations && bytes.Count > 0; m++)
        {
            var at = _random.Next(bytes.Count);
            switch (_random.Next(6))
            {
                case 0: bytes[at] = (byte)_random.Next(256); break;
                case 1: bytes[at] ^= (byte)(1 << _random.Next(8)); break;
                case 2: bytes.RemoveAt(at); break;
                case 3: bytes.Insert(at, (byte)Inserts[_random.Next(Inserts.Length)]); break;
                case 4: bytes.RemoveRange(at, bytes.Count - at); break;
                default: bytes.InsertRange(at, bytes.GetRange(at, Math.Min(_random.Next(1, 20), bytes.Count - at))); break;
            }
        }
        return [.. bytes];
    }

    private byte[] RandomBytes()
    {
        var bytes = new byte[_random.Next(0, 64)];
        _random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A JSON string literal; lone surrogates become <c>\uXXXX</c> escapes, the rest is escaped or raw at random.</summary>
    private string JsonString(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        var escapeAll = _random.Next(4) == 0;
        foreach (var c in value)
        {
            if (c is '"' or '\\') builder.Append('\\').Append(c);
            else if (c < 0x20 || char.IsSurrogate(c) || escapeAll && c > 0x7E)
                builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            else builder.Append(c);
        }
        return builder.Append('"').ToString();
    }

    private static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);
}
