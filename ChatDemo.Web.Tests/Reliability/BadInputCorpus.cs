using System.Net.WebSockets;
using System.Text;

namespace ChatDemo.Web.Tests.Reliability;

/// <summary>One malformed input and the answer protocol.md prescribes for it.</summary>
public abstract record BadInput(string Name);

/// <summary>
/// A WebSocket frame; answered with an <c>error</c> frame of <paramref name="ErrorCode"/> (the connection stays open) or a close.
/// With <paramref name="AmongStoredMessages"/> it is sent in the room the fixture filled with messages to change
/// (<see cref="BadInputCorpus.Own"/> and the other seqs), which must be exactly as it was afterwards; otherwise in an empty room.
/// </summary>
public sealed record BadFrame(string Name, byte[] Payload, string? ErrorCode = null, WebSocketCloseStatus? CloseStatus = null,
    WebSocketMessageType Type = WebSocketMessageType.Text, string? EchoedClientMessageId = null, bool AmongStoredMessages = false) : BadInput(Name);

/// <summary>
/// An HTTP request; answered with <paramref name="Status"/> and <c>application/problem+json</c>, except
/// when <paramref name="RejectedByKestrel"/>: a request line Kestrel refuses itself (400, empty body)
/// before any application code runs.
/// </summary>
public sealed record BadRequest(string Name, HttpMethod Method, string Path, int Status, string? ContentType = null, byte[]? Body = null,
    bool Chunked = false, bool RejectedByKestrel = false) : BadInput(Name);

/// <summary>A WebSocket upgrade refused with <paramref name="Status"/>.</summary>
public sealed record BadUpgrade(string Name, string Query, int Status, string? Origin = null) : BadInput(Name);

/// <summary>
/// The bad-input corpus: malformed frames, REST requests and upgrades, each with the answer
/// protocol.md sections 2, 3, 5 and 6 prescribe.
/// </summary>
public static class BadInputCorpus
{
    private const string InvalidJson = "invalid_json";
    private const string UnknownAction = "unknown_action";
    private const string Invalid = "validation_failed";
    private const string InvalidEmoji = "invalid_emoji";
    private const string UnknownMessage = "unknown_message";
    private const string NotAuthor = "not_author";
    private const string MessageDeleted = "message_deleted";
    private const string TooManyReactions = "too_many_reactions";

    // The seqs of the room BadInputFixture fills for the v1.1 frames: the corpus user's own
    // message, someone else's, the corpus user's deleted one, and someone else's with 20 emoji.
    public const long Own = 1;
    public const long Others = 2;
    public const long Deleted = 3;
    public const long Full = 4;

    /// <summary>A v1.1 frame sent among the stored messages, which must all stay as they are.</summary>
    private static BadFrame Change(string name, string json, string code, string? echo = null) =>
        new(name, Utf8(json), code, EchoedClientMessageId: echo, AmongStoredMessages: true);

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static byte[] Send(string textJson, string clientMessageIdJson = "\"c1\"") =>
        Utf8($$"""{"action":"sendMessage","clientMessageId":{{clientMessageIdJson}},"text":{{textJson}}}""");

    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    private static byte[] NameBody(string nameJson) => Utf8($$"""{"name":{{nameJson}}}""");

    private static readonly string Json = "application/json";
    private static readonly string LongRoom = new('r', 65);

    public static IReadOnlyList<BadInput> All { get; } =
    [
        // Frames that are not one JSON object: invalid_json.
        new BadFrame("empty frame", [], InvalidJson),
        new BadFrame("truncated object", Utf8("{"), InvalidJson),
        new BadFrame("truncated sendMessage", Utf8("""{"action":"sendMessage","clientMessageId":"c1","text":"hi"""), InvalidJson),
        new BadFrame("truncated after a value", Utf8("""{"action":"sendMessage","clientMessageId":"c1","text":"hi","""), InvalidJson),
        new BadFrame("JSON null", Utf8("null"), InvalidJson),
        new BadFrame("JSON array", Utf8("""[{"action":"ping"}]"""), InvalidJson),
        new BadFrame("JSON number", Utf8("42"), InvalidJson),
        new BadFrame("JSON string", Utf8("\"sendMessage\""), InvalidJson),
        new BadFrame("10,000 levels of nesting", Utf8(Nested(10_000)), InvalidJson),
        new BadFrame("10,000 levels of nesting inside a sendMessage",
            Utf8($$"""{"action":"sendMessage","clientMessageId":"c1","text":"hi","x":{{Nested(10_000)}}}"""), InvalidJson),
        new BadFrame("two objects in one frame", Utf8("""{"action":"ping"}{"action":"ping"}"""), InvalidJson),
        new BadFrame("trailing NUL byte", Concat(Utf8("""{"action":"ping"}"""), [0]), InvalidJson),
        new BadFrame("raw NUL byte inside a string", Concat(Utf8("""{"action":"sendMessage","clientMessageId":"c1","text":"a"""), [0], Utf8("b\"}")), InvalidJson),
        new BadFrame("raw newline inside a string", Utf8("{\"action\":\"sendMessage\",\"clientMessageId\":\"c1\",\"text\":\"a\nb\"}"), InvalidJson),
        new BadFrame("comment", Utf8("""{"action":"ping" /* hi */}"""), InvalidJson),
        new BadFrame("trailing comma", Utf8("""{"action":"ping",}"""), InvalidJson),
        new BadFrame("single quotes", Utf8("{'action':'ping'}"), InvalidJson),
        new BadFrame("NaN literal", Send("NaN"), InvalidJson),
        new BadFrame("invalid UTF-8 in a binary frame", [0x7B, 0xC3, 0x28, 0x7D], InvalidJson, Type: WebSocketMessageType.Binary),
        new BadFrame("valid JSON in a binary frame", Utf8("""{"action":"ping"}"""), InvalidJson, Type: WebSocketMessageType.Binary),

        // JSON objects without a known action: unknown_action.
        new BadFrame("empty object", Utf8("{}"), UnknownAction),
        new BadFrame("null action", Utf8("""{"action":null}"""), UnknownAction),
        new BadFrame("numeric action", Utf8("""{"action":42}"""), UnknownAction),
        new BadFrame("object action", Utf8("""{"action":{"name":"sendMessage"}}"""), UnknownAction),
        new BadFrame("action in the wrong case", Utf8("""{"action":"SENDMESSAGE","clientMessageId":"c1","text":"hi"}"""), UnknownAction, EchoedClientMessageId: "c1"),
        new BadFrame("action with a NUL suffix", Utf8("""{"action":"sendMessage\u0000","clientMessageId":"c1","text":"hi"}"""), UnknownAction, EchoedClientMessageId: "c1"),
        new BadFrame("action with a trailing space", Utf8("""{"action":"ping "}"""), UnknownAction),
        new BadFrame("unknown action", Utf8("""{"action":"pinMessage","seq":1}"""), UnknownAction),
        new BadFrame("API Gateway route name as action", Utf8("""{"action":"$default"}"""), UnknownAction),
        new BadFrame("action key in another case", Utf8("""{"Action":"ping"}"""), UnknownAction),

        // sendMessage with a field missing or out of bounds: validation_failed, nothing stored.
        new BadFrame("sendMessage without fields", Utf8("""{"action":"sendMessage"}"""), Invalid),
        new BadFrame("sendMessage without text", Utf8("""{"action":"sendMessage","clientMessageId":"c1"}"""), Invalid, EchoedClientMessageId: "c1"),
        new BadFrame("sendMessage without clientMessageId", Utf8("""{"action":"sendMessage","text":"hi"}"""), Invalid),
        new BadFrame("empty clientMessageId", Send("\"hi\"", "\"\""), Invalid),
        new BadFrame("overlong clientMessageId", Send("\"hi\"", $"\"{new string('c', 65)}\""), Invalid),
        new BadFrame("path trick in clientMessageId", Send("\"hi\"", "\"../../etc/passwd\""), Invalid),
        new BadFrame("SQL in clientMessageId", Send("\"hi\"", "\"c1'; DROP TABLE messages; --\""), Invalid),
        new BadFrame("DynamoDB placeholder in clientMessageId", Send("\"hi\"", "\":v\""), Invalid),
        new BadFrame("numeric clientMessageId", Send("\"hi\"", "1"), Invalid),
        new BadFrame("huge-number clientMessageId", Send("\"hi\"", "1e400"), Invalid),
        new BadFrame("huge-number text", Send("1e309"), Invalid, EchoedClientMessageId: "c1"),
        new BadFrame("30-digit-number text", Send("123456789012345678901234567890"), Invalid, EchoedClientMessageId: "c1"),
        new BadFrame("null text", Send("null"), Invalid, EchoedClientMessageId: "c1"),
        new BadFrame("object text", Send("""{"$ne":""}"""), Invalid, EchoedClientMessageId: "c1"),
        new BadFrame("array text", Send("""["hi"]"""), Invalid, EchoedClientMessageId: "c1"),
        new BadFrame("empty text", Send("\"\""), Invalid, EchoedClientMessageId: "c1"),
        new BadFrame("white-space-only text", Send("\"  \\n\\t  \""), Invalid, EchoedClientMessageId: "c1"),
        new BadFrame("2,001-character text", Send($"\"{new string('x', 2001)}\""), Invalid, EchoedClientMessageId: "c1"),
        new BadFrame("2,001 emoji", Send($"\"{string.Concat(Enumerable.Repeat("\\ud83d\\ude00", 2001))}\""), Invalid, EchoedClientMessageId: "c1"),
        new BadFrame("escaped NUL in text", Send("\"a\\u0000b\""), Invalid, EchoedClientMessageId: "c1"),
        new BadFrame("CR in text", Send("\"line\\r\\nbreak\""), Invalid, EchoedClientMessageId: "c1"),
        new BadFrame("DEL in text", Send("\"a\\u007fb\""), Invalid, EchoedClientMessageId: "c1"),
        new BadFrame("escape character in text", Send("\"\\u001b[31mred\""), Invalid, EchoedClientMessageId: "c1"),
        new BadFrame("C1 control in text", Send("\"a\\u0085b\""), Invalid, EchoedClientMessageId: "c1"),
        new BadFrame("lone high surrogate in text", Send("\"a\\ud800b\""), Invalid, EchoedClientMessageId: "c1"),
        new BadFrame("lone low surrogate in text", Send("\"\\udc00\""), Invalid, EchoedClientMessageId: "c1"),

        // v1.1 changes (protocol.md 10.2 and 10.5) with a field missing or out of bounds, each aimed at a message
        // the request could otherwise change: nothing changes, no version or revision is used.
        Change("editMessage without seq", """{"action":"editMessage","text":"x","clientMessageId":"e1"}""", Invalid, "e1"),
        Change("editMessage with seq 0", """{"action":"editMessage","seq":0,"text":"x"}""", Invalid),
        Change("editMessage with a string seq", """{"action":"editMessage","seq":"1","text":"x","clientMessageId":"e1"}""", Invalid, "e1"),
        Change("editMessage with a fractional seq", """{"action":"editMessage","seq":1.5,"text":"x"}""", Invalid),
        Change("editMessage with a seq past 2^53", """{"action":"editMessage","seq":9007199254740992,"text":"x"}""", Invalid),
        Change("editMessage with SQL as seq", """{"action":"editMessage","seq":"1 OR 1=1","text":"x"}""", Invalid),
        Change("editMessage without text", """{"action":"editMessage","seq":1,"clientMessageId":"e1"}""", Invalid, "e1"),
        Change("editMessage with CR in text", """{"action":"editMessage","seq":1,"text":"a\r\nb","clientMessageId":"e1"}""", Invalid, "e1"),
        Change("editMessage with a 2,001-character text", $$"""{"action":"editMessage","seq":1,"text":"{{new string('x', 2001)}}"}""", Invalid),
        Change("editMessage with a bad clientMessageId", """{"action":"editMessage","seq":1,"text":"x","clientMessageId":"a b"}""", Invalid),
        Change("deleteMessage with an object seq", """{"action":"deleteMessage","seq":{"$gt":0}}""", Invalid),
        Change("deleteMessage with a negative seq", """{"action":"deleteMessage","seq":-1,"clientMessageId":"d1"}""", Invalid, "d1"),
        Change("react without op", """{"action":"react","seq":1,"emoji":"👍","clientMessageId":"r1"}""", Invalid, "r1"),
        Change("react with an unknown op", """{"action":"react","seq":1,"emoji":"👍","op":"toggle"}""", Invalid),
        Change("react without emoji", """{"action":"react","seq":1,"op":"add","clientMessageId":"r1"}""", InvalidEmoji, "r1"),
        Change("react with two emoji", """{"action":"react","seq":1,"emoji":"👍👍","op":"add"}""", InvalidEmoji),
        Change("react with a word", """{"action":"react","seq":1,"emoji":"like","op":"add"}""", InvalidEmoji),
        Change("react with markup", """{"action":"react","seq":1,"emoji":"<b>","op":"add"}""", InvalidEmoji),
        Change("react with a lone skin tone", """{"action":"react","seq":1,"emoji":"\ud83c\udffd","op":"add"}""", InvalidEmoji),
        Change("react with a lone surrogate", """{"action":"react","seq":1,"emoji":"\ud83d","op":"add"}""", InvalidEmoji),
        Change("react with a 1,000-unit emoji chain", $$"""{"action":"react","seq":1,"emoji":"{{string.Concat(Enumerable.Repeat("👨\u200D", 333))}}👨","op":"add"}""", InvalidEmoji),
        Change("sendMessage replying to seq 0", """{"action":"sendMessage","clientMessageId":"c1","text":"re","replyTo":0}""", Invalid, "c1"),
        Change("sendMessage replying to a string", """{"action":"sendMessage","clientMessageId":"c1","text":"re","replyTo":"1"}""", Invalid, "c1"),

        Change("deleteMessage without seq", """{"action":"deleteMessage","clientMessageId":"d1"}""", Invalid, "d1"),
        Change("react without seq", """{"action":"react","emoji":"👍","op":"add","clientMessageId":"r1"}""", Invalid, "r1"),
        Change("react with a null op", """{"action":"react","seq":1,"emoji":"👍","op":null,"clientMessageId":"r1"}""", Invalid, "r1"),
        Change("react with an op in capitals", """{"action":"react","seq":1,"emoji":"👍","op":"ADD"}""", Invalid),
        Change("react with a bad clientMessageId", """{"action":"react","seq":1,"emoji":"👍","op":"add","clientMessageId":"../r"}""", Invalid),
        Change("react with a numeric emoji", """{"action":"react","seq":1,"emoji":1,"op":"add","clientMessageId":"r1"}""", InvalidEmoji, "r1"),
        Change("react with a digit", """{"action":"react","seq":1,"emoji":"1","op":"add"}""", InvalidEmoji),
        Change("react with an emoji and text", """{"action":"react","seq":1,"emoji":"👍ok","op":"add"}""", InvalidEmoji),
        Change("react with a lone joiner", """{"action":"react","seq":1,"emoji":"\u200d","op":"add"}""", InvalidEmoji),
        Change("editMessage with a white-space-only text", """{"action":"editMessage","seq":1,"text":" \n\t ","clientMessageId":"e1"}""", Invalid, "e1"),
        Change("editMessage with a NUL in text", """{"action":"editMessage","seq":1,"text":"a\u0000b","clientMessageId":"e1"}""", Invalid, "e1"),
        Change("sendMessage replying to a fractional seq", """{"action":"sendMessage","clientMessageId":"c1","text":"re","replyTo":1.5}""", Invalid, "c1"),
        Change("sendMessage replying past 2^53", """{"action":"sendMessage","clientMessageId":"c1","text":"re","replyTo":9007199254740992}""", Invalid, "c1"),
        Change("sendMessage replying to null", """{"action":"sendMessage","clientMessageId":"c1","text":"re","replyTo":null}""", Invalid, "c1"),

        // v1.1 changes refused against the stored message (protocol.md 10.5), in the documented order of checks.
        Change("editMessage of an unknown seq", """{"action":"editMessage","seq":99,"text":"x","clientMessageId":"e1"}""", UnknownMessage, "e1"),
        Change("deleteMessage of an unknown seq", """{"action":"deleteMessage","seq":99,"clientMessageId":"d1"}""", UnknownMessage, "d1"),
        Change("react to an unknown seq", """{"action":"react","seq":99,"emoji":"👍","op":"add","clientMessageId":"r1"}""", UnknownMessage, "r1"),
        Change("react to the largest seq", """{"action":"react","seq":9007199254740991,"emoji":"👍","op":"remove"}""", UnknownMessage),
        Change("sendMessage replying to an unknown seq", """{"action":"sendMessage","clientMessageId":"c1","text":"re","replyTo":99}""", UnknownMessage, "c1"),
        Change("editMessage of someone else's message", """{"action":"editMessage","seq":2,"text":"mine now","clientMessageId":"e1"}""", NotAuthor, "e1"),
        Change("deleteMessage of someone else's message", """{"action":"deleteMessage","seq":2,"clientMessageId":"d1"}""", NotAuthor, "d1"),
        Change("editMessage of someone else's message with an empty text", """{"action":"editMessage","seq":2,"text":"","clientMessageId":"e1"}""", Invalid, "e1"),
        Change("editMessage of a deleted message", """{"action":"editMessage","seq":3,"text":"back again","clientMessageId":"e1"}""", MessageDeleted, "e1"),
        Change("react to a deleted message", """{"action":"react","seq":3,"emoji":"👍","op":"add","clientMessageId":"r1"}""", MessageDeleted, "r1"),
        Change("react add of a 21st emoji", """{"action":"react","seq":4,"emoji":"🎉","op":"add","clientMessageId":"r1"}""", TooManyReactions, "r1"),

        // Over the frame limit: closed with 1009.
        new BadFrame("32,769-byte frame", Send($"\"{new string('x', 32_769)}\""), CloseStatus: WebSocketCloseStatus.MessageTooBig),
        new BadFrame("1 MB frame", Utf8(new string(' ', 1024 * 1024)), CloseStatus: WebSocketCloseStatus.MessageTooBig),
        // RFC 6455 section 8.1: a text frame must be UTF-8; .NET's WebSocket closes with 1007 before the chat sees it.
        new BadFrame("invalid UTF-8 in a text frame", Concat(Utf8("""{"action":"sendMessage","clientMessageId":"c1","text":"""), [0xC3, 0x28], Utf8("\"}")),
            CloseStatus: WebSocketCloseStatus.InvalidPayloadData),
        new BadFrame("overlong UTF-8 encoding of '/' in a text frame", Concat(Utf8("""{"action":"sendMessage","clientMessageId":"c1","text":"a"""), [0xC0, 0xAF], Utf8("\"}")),
            CloseStatus: WebSocketCloseStatus.InvalidPayloadData),

        // POST /api/sessions.
        new BadRequest("1 MB body to /api/sessions", HttpMethod.Post, "/api/sessions", 413, Json, NameBody($"\"{new string('a', 1024 * 1024)}\"")),
        new BadRequest("1 MB chunked body to /api/sessions", HttpMethod.Post, "/api/sessions", 413, Json, NameBody($"\"{new string('a', 1024 * 1024)}\""), Chunked: true),
        new BadRequest("text/plain session", HttpMethod.Post, "/api/sessions", 415, "text/plain", NameBody("\"Alice\"")),
        new BadRequest("form-encoded session", HttpMethod.Post, "/api/sessions", 415, "application/x-www-form-urlencoded", Utf8("name=Alice")),
        new BadRequest("multipart session", HttpMethod.Post, "/api/sessions", 415, "multipart/form-data; boundary=x", Utf8("--x\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nAlice\r\n--x--\r\n")),
        new BadRequest("session without content type", HttpMethod.Post, "/api/sessions", 415, null, NameBody("\"Alice\"")),
        new BadRequest("XML session", HttpMethod.Post, "/api/sessions", 415, "application/xml", Utf8("<name>Alice</name>")),
        new BadRequest("empty session body", HttpMethod.Post, "/api/sessions", 400, Json, []),
        new BadRequest("truncated session JSON", HttpMethod.Post, "/api/sessions", 400, Json, Utf8("""{"name":"Ali""")),
        new BadRequest("10,000 levels of nesting in a session body", HttpMethod.Post, "/api/sessions", 413, Json, Utf8(Nested(10_000))),
        new BadRequest("1,000 levels of nesting in a session body", HttpMethod.Post, "/api/sessions", 400, Json, Utf8(Nested(1_000))),
        new BadRequest("session body is an array", HttpMethod.Post, "/api/sessions", 400, Json, Utf8("""[{"name":"Alice"}]""")),
        new BadRequest("numeric name", HttpMethod.Post, "/api/sessions", 400, Json, NameBody("42")),
        new BadRequest("huge-number name", HttpMethod.Post, "/api/sessions", 400, Json, NameBody("1e999999")),
        new BadRequest("null name", HttpMethod.Post, "/api/sessions", 400, Json, NameBody("null")),
        new BadRequest("empty name", HttpMethod.Post, "/api/sessions", 400, Json, NameBody("\"   \"")),
        new BadRequest("33-character name", HttpMethod.Post, "/api/sessions", 400, Json, NameBody($"\"{new string('a', 33)}\"")),
        new BadRequest("1,000-character name", HttpMethod.Post, "/api/sessions", 400, Json, NameBody($"\"{new string('a', 1000)}\"")),
        new BadRequest("CR/LF in name", HttpMethod.Post, "/api/sessions", 400, Json, NameBody("\"Alice\\r\\nSet-Cookie: admin=1\"")),
        new BadRequest("NUL in name", HttpMethod.Post, "/api/sessions", 400, Json, NameBody("\"Ali\\u0000ce\"")),
        new BadRequest("tab in name", HttpMethod.Post, "/api/sessions", 400, Json, NameBody("\"Ali\\tce\"")),
        new BadRequest("SQL in name", HttpMethod.Post, "/api/sessions", 400, Json, NameBody("\"x'; DROP TABLE messages; --\"")),
        new BadRequest("DynamoDB expression in name", HttpMethod.Post, "/api/sessions", 400, Json, NameBody("\"#n = :v\"")),
        new BadRequest("markup in name", HttpMethod.Post, "/api/sessions", 400, Json, NameBody("\"<img src=x onerror=alert(1)>\"")),
        new BadRequest("lone surrogate in name", HttpMethod.Post, "/api/sessions", 400, Json, NameBody("\"A\\ud800\"")),
        new BadRequest("invalid UTF-8 in name", HttpMethod.Post, "/api/sessions", 400, Json, Concat(Utf8("{\"name\":\"A"), [0xC3, 0x28], Utf8("\"}"))),
        new BadRequest("right-to-left override in name", HttpMethod.Post, "/api/sessions", 400, Json, NameBody("\"Alice\\u202Egnp.exe\"")),

        // History and presence: room names and query bounds.
        new BadRequest("../ in room", HttpMethod.Get, "/api/rooms/..%2F..%2Fetc/messages", 400),
        new BadRequest("encoded slash in room", HttpMethod.Get, "/api/rooms/a%2Fb/messages", 400),
        new BadRequest("encoded backslash in room", HttpMethod.Get, "/api/rooms/..%5C..%5Cetc/messages", 400),
        new BadRequest("%2e%2e as room", HttpMethod.Get, "/api/rooms/%2e%2e/messages", 404),
        new BadRequest("double-encoded dots in room", HttpMethod.Get, "/api/rooms/%252e%252e/messages", 400),
        new BadRequest("NUL in room", HttpMethod.Get, "/api/rooms/lobby%00/messages", 400, RejectedByKestrel: true),
        new BadRequest("CR/LF in room", HttpMethod.Get, "/api/rooms/lobby%0D%0AX-Injected:1/messages", 400),
        new BadRequest("SQL in room", HttpMethod.Get, "/api/rooms/lobby'%3B%20DROP%20TABLE%20messages--/messages", 400),
        new BadRequest("DynamoDB placeholder in room", HttpMethod.Get, "/api/rooms/:v/messages", 400),
        new BadRequest("DynamoDB function in room", HttpMethod.Get, "/api/rooms/attribute_exists(pk)/messages", 400),
        new BadRequest("hash in room", HttpMethod.Get, "/api/rooms/%23room/presence", 400),
        new BadRequest("65-character room", HttpMethod.Get, $"/api/rooms/{LongRoom}/messages", 400),
        new BadRequest("non-ASCII room", HttpMethod.Get, "/api/rooms/l%C3%B6bby/presence", 400),
        new BadRequest("negative after", HttpMethod.Get, "/api/rooms/lobby/messages?after=-1", 400),
        new BadRequest("huge after", HttpMethod.Get, "/api/rooms/lobby/messages?after=99999999999999999999999", 400),
        new BadRequest("exponent after", HttpMethod.Get, "/api/rooms/lobby/messages?after=1e3", 400),
        new BadRequest("hex after", HttpMethod.Get, "/api/rooms/lobby/messages?after=0x10", 400),
        new BadRequest("plus-signed after", HttpMethod.Get, "/api/rooms/lobby/messages?after=%2B5", 400),
        new BadRequest("empty after", HttpMethod.Get, "/api/rooms/lobby/messages?after=", 400),
        new BadRequest("NUL after", HttpMethod.Get, "/api/rooms/lobby/messages?after=1%00", 400),
        new BadRequest("after twice", HttpMethod.Get, "/api/rooms/lobby/messages?after=1&after=2", 400),
        new BadRequest("after and before", HttpMethod.Get, "/api/rooms/lobby/messages?after=1&before=5", 400),
        new BadRequest("SQL in before", HttpMethod.Get, "/api/rooms/lobby/messages?before=1%20OR%201=1", 400),
        new BadRequest("zero limit", HttpMethod.Get, "/api/rooms/lobby/messages?limit=0", 400),
        new BadRequest("limit over 100", HttpMethod.Get, "/api/rooms/lobby/messages?limit=101", 400),
        new BadRequest("huge limit", HttpMethod.Get, "/api/rooms/lobby/messages?limit=2147483648", 400),
        new BadRequest("fractional limit", HttpMethod.Get, "/api/rooms/lobby/messages?limit=1.5", 400),
        // v1.1 reads (protocol.md 10.7): changedSince and one message by seq.
        new BadRequest("negative changedSince", HttpMethod.Get, "/api/rooms/lobby/messages?changedSince=-1", 400),
        new BadRequest("exponent changedSince", HttpMethod.Get, "/api/rooms/lobby/messages?changedSince=1e3", 400),
        new BadRequest("huge changedSince", HttpMethod.Get, "/api/rooms/lobby/messages?changedSince=99999999999999999999", 400),
        new BadRequest("SQL in changedSince", HttpMethod.Get, "/api/rooms/lobby/messages?changedSince=0%20OR%201=1", 400),
        new BadRequest("changedSince and after", HttpMethod.Get, "/api/rooms/lobby/messages?changedSince=0&after=0", 400),
        new BadRequest("changedSince with limit over 100", HttpMethod.Get, "/api/rooms/lobby/messages?changedSince=0&limit=101", 400),
        new BadRequest("seq 0 of a message", HttpMethod.Get, "/api/rooms/lobby/messages/0", 400),
        new BadRequest("huge seq of a message", HttpMethod.Get, "/api/rooms/lobby/messages/99999999999999999999", 400),
        new BadRequest("SQL as a message's seq", HttpMethod.Get, "/api/rooms/lobby/messages/1%20OR%201=1", 400),
        new BadRequest("message nobody sent", HttpMethod.Get, "/api/rooms/lobby/messages/424242", 404),
        new BadRequest("DELETE a message", HttpMethod.Delete, "/api/rooms/lobby/messages/1", 405),
        new BadRequest("PUT a message", HttpMethod.Put, "/api/rooms/lobby/messages/1", 405, Json, Utf8("""{"text":"edited over REST"}""")),
        new BadRequest("POST to history", HttpMethod.Post, "/api/rooms/lobby/messages", 405, Json, Utf8("""{"text":"hi"}""")),
        new BadRequest("DELETE a room's history", HttpMethod.Delete, "/api/rooms/lobby/messages", 405),
        new BadRequest("GET /api/sessions", HttpMethod.Get, "/api/sessions", 405),
        new BadRequest("unknown API path", HttpMethod.Get, "/api/rooms/lobby/nothing-here", 404),

        // WebSocket upgrades.
        new BadUpgrade("upgrade without room", "token={token}", 400),
        new BadUpgrade("upgrade with ../ in room", "room=..%2Fetc&token={token}", 400),
        new BadUpgrade("upgrade with %2e%2e room", "room=%2e%2e&token={token}", 400),
        new BadUpgrade("upgrade with CR/LF in room", "room=lobby%0D%0Ax&token={token}", 400),
        new BadUpgrade("upgrade with SQL in room", "room=lobby'%20OR%20'1'='1&token={token}", 400),
        new BadUpgrade("upgrade with 65-character room", $"room={LongRoom}&token={{token}}", 400),
        new BadUpgrade("upgrade with two rooms", "room=lobby&room=other&token={token}", 400),
        new BadUpgrade("upgrade without token", "room=lobby", 401),
        new BadUpgrade("upgrade with garbage token", "room=lobby&token=not-a-token", 401),
        new BadUpgrade("upgrade with empty-part token", "room=lobby&token=v1..", 401),
        new BadUpgrade("upgrade with 5,000-character token", $"room=lobby&token=v1.{new string('A', 5000)}.x", 401),
        new BadUpgrade("upgrade with two tokens", "room=lobby&token={token}&token={token}", 401),
        new BadUpgrade("upgrade from a foreign origin", "room=lobby&token={token}", 403, "https://evil.example"),
        new BadUpgrade("upgrade from the null origin", "room=lobby&token={token}", 403, "null"),
    ];

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var input in All) data.Add(input.Name);
        return data;
    }

    public static BadInput Get(string name) => All.Single(i => i.Name == name);
}
