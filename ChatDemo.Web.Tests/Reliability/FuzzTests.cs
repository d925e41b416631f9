using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Tests.TestInfrastructure;
using Xunit.Abstractions;

namespace ChatDemo.Web.Tests.Reliability;

/// <summary>
/// Seeded fuzzing of the frame parser and the input rules (fast, in-process), and of a live
/// socket (every frame answered with a documented frame or close code). Soak variants run
/// 10 times as many cases: <c>dotnet test --filter Category=Soak</c>.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int Seed = 9_2026;

    [Fact]
    public void TwentyThousandFuzzedFramesParseToTheDocumentedAnswer() => FuzzFrames(20_000);

    [Fact]
    [Trait("Category", "Soak")]
    public void TwoHundredThousandFuzzedFramesParseToTheDocumentedAnswer() => FuzzFrames(200_000);

    [Fact]
    public void TwentyThousandFuzzedStringsGetTheProtocolsVerdictFromTheInputRules() => FuzzRules(20_000);

    [Fact]
    [Trait("Category", "Soak")]
    public void TwoHundredThousandFuzzedStringsGetTheProtocolsVerdictFromTheInputRules() => FuzzRules(200_000);

    [Fact]
    public Task ThreeHundredFuzzedFramesOnALiveSocketGetOnlyDocumentedAnswers() => FuzzLiveAsync(300);

    [Fact]
    [Trait("Category", "Soak")]
    public Task FiveThousandFuzzedFramesOnALiveSocketGetOnlyDocumentedAnswers() => FuzzLiveAsync(5_000);

    private void FuzzFrames(int cases)
    {
        var fuzzer = new FrameFuzzer(Seed);
        var failures = new List<string>();
        var kinds = new Dictionary<string, int>();
        for (var i = 0; i < cases; i++)
        {
            // One in four a v1.1 change frame, mostly valid (NextFrame's changes rarely are).
            var frame = i % 4 == 3 ? fuzzer.NextChangeFrame() : fuzzer.NextFrame();
            if (FrameOracle.CheckFrame(frame) is { } failure && failures.Count < 10)
                failures.Add($"case {i}: {failure}; frame: {FrameOracle.Describe(frame)}");
            var kind = ClientFrame.Parse(frame) switch { ClientFrame.Rejected r => r.Code, var f => f.GetType().Name };
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
        }
        output.WriteLine($"{cases} frames (seed {Seed}): " + string.Join(", ", kinds.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}")));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // The generator reaches every outcome, or the run proves less than it claims.
        Assert.All(new[] { "SendMessage", "Ping", "Typing", "ChangeMessage", "invalid_json", "unknown_action", "validation_failed", "invalid_emoji" },
            kind => Assert.True(kinds.GetValueOrDefault(kind) > 0, $"no case produced {kind}"));
    }

    private void FuzzRules(int cases)
    {
        var fuzzer = new FrameFuzzer(Seed + 1);
        var failures = new List<string>();
        var accepted = new int[2];
        for (var i = 0; i < cases; i++)
        {
            var input = fuzzer.NextString(i % 2 == 0 ? 40 : 2100);
            if (FrameOracle.CheckRules(input) is { } failure && failures.Count < 10)
                failures.Add($"case {i}: {failure}; input: {JsonSerializer.Serialize(input)}");
            if (ChatRules.TryNormalizeName(input, out _, out _)) accepted[0]++;
            if (ChatRules.TryNormalizeText(input, out _, out _)) accepted[1]++;
        }
        output.WriteLine($"{cases} strings (seed {Seed + 1}): {accepted[0]} valid names, {accepted[1]} valid texts");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(accepted[0] > 0 && accepted[1] > 0 && accepted[1] < cases, "the generator does not reach both verdicts");
    }

    /// <summary>
    /// Each fuzzed frame goes over a real socket, followed by a ping; everything that arrives
    /// before the pong is the frame's answer. The expected answer comes from the parser
    /// (checked above) and the transport rules: a text frame that is not UTF-8 closes with 1007
    /// (RFC 6455), one over 32 KiB with 1009; then the client reconnects.
    /// </summary>
    private async Task FuzzLiveAsync(int cases)
    {
        await using var app = await ChatApp.StartAsync(new Dictionary<string, string?>
        {
            // The fuzzer sends far faster than a person; the rate limit has its own test.
            ["Chat:Limits:SendBurst"] = "1000000",
            ["Chat:Limits:SendPerSecond"] = "1000000",
        });
        var session = await app.CreateSessionAsync("Fuzzer");
        var fuzzer = new FrameFuzzer(Seed + 2);
        var socket = await app.ConnectAsync(session, "fuzz");
        var acked = new HashSet<string>();
        var changed = new Dictionary<long, List<JsonElement>>();
        var closes = 0;
        var answers = new Dictionary<string, int>();
        try
        {
            for (var i = 0; i < cases; i++)
            {
                // One in three a v1.1 change, mostly aimed at a message this socket sent.
                var frame = i % 3 == 2 ? fuzzer.NextChangeFrame() : fuzzer.NextFrame();
                if (i % 50 == 49) frame = Encoding.UTF8.GetBytes($$"""{"action":"sendMessage","clientMessageId":"big{{i}}","text":"{{new string('x', 33_000)}}"}""");
                var expectedClose = !IsUtf8(frame) ? WebSocketCloseStatus.InvalidPayloadData
                    : frame.Length > 32 * 1024 ? WebSocketCloseStatus.MessageTooBig
                    : (WebSocketCloseStatus?)null;

                await socket.SendBytesAsync(frame);
                if (expectedClose is { } close)
                {
                    var closed = await socket.WaitForCloseAsync();
                    // .NET's WebSocket sends 1007 and drops the connection at once; when the rest of
                    // the bad frame is still unread, the kernel answers with a reset that can
                    // overtake the close frame. Either way the connection ends and nothing is stored.
                    if (close == WebSocketCloseStatus.InvalidPayloadData && closed is null) close = 0;
                    Assert.Equal(close == 0 ? null : close, closed);
                    closes++;
                    var closeKind = close == 0 ? "reset after invalid UTF-8" : $"close {(int)close}";
                    answers[closeKind] = answers.GetValueOrDefault(closeKind) + 1;
                    await socket.DisposeAsync();
                    socket = await app.ConnectAsync(session, "fuzz");
                    continue;
                }

                await socket.SendJsonAsync(new { action = "ping" });
                var parsed = ClientFrame.Parse(frame);
                var pongs = parsed is ClientFrame.Ping ? 2 : 1;
                var received = new List<JsonElement>();
                var deadline = DateTime.UtcNow + ChatSocket.DefaultTimeout;
                while (pongs > 0)
                {
                    if (DateTime.UtcNow > deadline) Assert.Fail($"case {i}: no pong within {ChatSocket.DefaultTimeout}; frame: {FrameOracle.Describe(frame)}");
                    var next = (await socket.CollectAsync(TimeSpan.FromMilliseconds(20))).ToList();
                    if (next.Count == 0 && socket.Closed.IsCompleted) Assert.Fail($"case {i}: closed ({await socket.Closed}) after {FrameOracle.Describe(frame)}");
                    foreach (var f in next)
                    {
                        if (pongs == 0) break;
                        var type = f.GetProperty("type").GetString();
                        if (type == "pong") pongs--;
                        else if (type == "presence") continue; // its own arrival, which protocol.md allows
                        else received.Add(f);
                    }
                }
                var answer = CheckLiveAnswer(parsed, received, acked, changed);
                Assert.True(answer.Error is null, $"case {i}: {answer.Error}; frame: {FrameOracle.Describe(frame)}");
                answers[answer.Kind] = answers.GetValueOrDefault(answer.Kind) + 1;
            }
        }
        finally
        {
            await socket.DisposeAsync();
        }

        var history = await ChaosScenario.ReadHistoryAsync(app.Http, "fuzz");
        Assert.Equal(acked.Order(), history.Select(m => m.Id).Order());
        // protocol.md 10.4 and 10.5: only the acknowledged changes changed anything. Each message is
        // at version 1 + its accepted changes, in the state the last of them acknowledged, and the
        // room's revision counts exactly the accepted changes: every refusal left all as it was.
        foreach (var message in history)
        {
            var states = changed.GetValueOrDefault(message.Seq) ?? new List<JsonElement>();
            Assert.Equal(1 + states.Count, message.Version);
            if (states.Count > 0) Assert.Equal(ViewMessage.Canonical(states[^1]), message.State);
        }
        var revision = (await app.GetJsonAsync("/api/rooms/fuzz/messages")).GetProperty("revision").GetInt64();
        Assert.Equal(changed.Values.Sum(c => c.Count), revision);
        using var health = await app.Http.GetAsync("/health");
        Assert.True(health.IsSuccessStatusCode);
        output.WriteLine($"{cases} live frames (seed {Seed + 2}): " + string.Join(", ", answers.OrderBy(a => a.Key).Select(a => $"{a.Key} {a.Value}")) +
                         $"; {closes} reconnects; {history.Count} messages stored, all acknowledged; " +
                         $"{changed.Values.Sum(c => c.Count)} changes accepted on {changed.Count} messages, nothing else changed");
    }

    private static (string Kind, string? Error) CheckLiveAnswer(ClientFrame parsed, List<JsonElement> received, HashSet<string> acked,
        Dictionary<long, List<JsonElement>> changed)
    {
        string Types() => string.Join(",", received.Select(f => f.GetProperty("type").GetString()));
        switch (parsed)
        {
            case ClientFrame.Rejected rejected:
                if (received.Count != 1 || received[0].GetProperty("type").GetString() != "error") return ("error", $"expected one error, got [{Types()}]");
                var code = received[0].GetProperty("code").GetString();
                return code == rejected.Code ? ($"error {code}", null) : ("error", $"expected {rejected.Code}, got {code}");
            case ClientFrame.SendMessage { ReplyTo: not null } when received is [var only] && only.GetProperty("type").GetString() == "error":
                // A reply to a seq the fuzz room does not hold (protocol.md 10.5).
                var replyCode = only.GetProperty("code").GetString();
                return replyCode == "unknown_message" ? ("error unknown_message", null) : ("error", $"a reply answered {replyCode}");
            case ClientFrame.ChangeMessage:
                return CheckChangeAnswer(received, changed);
            case ClientFrame.SendMessage send:
                var ack = received.FirstOrDefault(f => f.GetProperty("type").GetString() == "ack");
                if (ack.ValueKind == JsonValueKind.Undefined) return ("ack", $"no ack, got [{Types()}]");
                var duplicate = ack.GetProperty("duplicate").GetBoolean();
                var messages = received.Count(f => f.GetProperty("type").GetString() == "message");
                if (messages != (duplicate ? 0 : 1) || received.Count != messages + 1) return ("ack", $"unexpected frames [{Types()}]");
                if (!duplicate)
                {
                    var message = received.Single(f => f.GetProperty("type").GetString() == "message");
                    if (message.GetProperty("text").GetString() != send.Text) return ("ack", "the message frame altered the text");
                    acked.Add(ack.GetProperty("id").GetString()!);
                }
                return (duplicate ? "ack duplicate" : "ack", null);
            default:
                return received.Count == 0 ? (parsed.GetType().Name.ToLowerInvariant(), null) : ("other", $"unexpected frames [{Types()}]");
        }
    }

    /// <summary>
    /// protocol.md 10.3 and 10.5: a valid change gets one error about the stored message, or an
    /// updateAck, preceded by the room's messageUpdated when it changed something.
    /// </summary>
    private static (string Kind, string? Error) CheckChangeAnswer(List<JsonElement> received, Dictionary<long, List<JsonElement>> changed)
    {
        string Types() => string.Join(",", received.Select(f => f.GetProperty("type").GetString()));
        if (received is [var error] && error.GetProperty("type").GetString() == "error")
        {
            var code = error.GetProperty("code").GetString();
            return code is "unknown_message" or "not_author" or "message_deleted" or "too_many_reactions"
                ? ($"error {code}", null) : ("error", $"a change answered {code}");
        }
        var ack = received.LastOrDefault(f => f.GetProperty("type").GetString() == "updateAck");
        if (ack.ValueKind == JsonValueKind.Undefined) return ("updateAck", $"no updateAck, got [{Types()}]");
        var duplicate = ack.GetProperty("duplicate").GetBoolean();
        var updates = received.Where(f => f.GetProperty("type").GetString() == "messageUpdated").ToList();
        if (updates.Count != (duplicate ? 0 : 1) || received.Count != updates.Count + 1) return ("updateAck", $"unexpected frames [{Types()}]");
        var state = ack.GetProperty("message");
        if (!duplicate && ViewMessage.Canonical(updates[0]) != ViewMessage.Canonical(state))
            return ("updateAck", "the broadcast state is not the acknowledged one");
        if (!duplicate)
        {
            var seq = state.GetProperty("seq").GetInt64();
            if (!changed.TryGetValue(seq, out var states)) changed[seq] = states = [];
            states.Add(state.Clone());
        }
        return (duplicate ? "updateAck duplicate" : "updateAck", null);
    }

    private static bool IsUtf8(byte[] bytes) => System.Text.Unicode.Utf8.IsValid(bytes);
}
