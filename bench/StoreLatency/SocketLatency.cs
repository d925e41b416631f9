using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace StoreLatency;

/// <summary>
/// Append-to-ack over a real WebSocket to a running ChatDemo (run.sh starts one per store): one
/// connection sends messages one at a time and times each from its frame to its <c>ack</c>, then
/// edits, reacts to and deletes each of them, timing each frame to its <c>updateAck</c>. This is
/// what a user waits for: the store call of <see cref="StoreLatencyBench"/> plus parsing, the
/// room's ordering and the frame's way in and out.
/// </summary>
internal static class SocketLatency
{
    public static async Task MeasureAsync(string name, Uri server, int count, int warmup)
    {
        using var http = new HttpClient { BaseAddress = server };
        using var created = await http.PostAsJsonAsync("/api/sessions", new { name = "Bench" });
        created.EnsureSuccessStatusCode();
        var token = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        var room = "bench-" + Guid.NewGuid().ToString("N")[..8];
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{server.Authority}/ws?room={room}&token={Uri.EscapeDataString(token)}"), default);
        var reader = new FrameReader(socket);

        // Message i + 1 is the i-th sent (a fresh room), so each change meets each message once.
        await TimeAsync($"{name}, send", count, warmup, reader, "ack",
            i => new { action = "sendMessage", clientMessageId = $"c-{i}", text = "a benchmark message of ordinary length" });
        await TimeAsync($"{name}, edit", count, warmup, reader, "updateAck",
            i => new { action = "editMessage", seq = i + 1, text = "an edited benchmark message", clientMessageId = $"e-{i}" });
        await TimeAsync($"{name}, react", count, warmup, reader, "updateAck",
            i => new { action = "react", seq = i + 1, emoji = "👍", op = "add", clientMessageId = $"r-{i}" });
        await TimeAsync($"{name}, delete", count, warmup, reader, "updateAck",
            i => new { action = "deleteMessage", seq = i + 1, clientMessageId = $"d-{i}" });
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", default);
    }

    private static async Task TimeAsync(string what, int count, int warmup, FrameReader reader, string answer, Func<int, object> frame)
    {
        var times = new double[count];
        for (var i = 0; i < warmup + count; i++)
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(frame(i));
            var started = Stopwatch.GetTimestamp();
            await reader.Socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, default);
            // The room's broadcast of the same message or state (to this connection too) is skipped.
            while (true)
            {
                var received = await reader.NextAsync();
                var type = received.GetProperty("type").GetString();
                if (type == answer)
                {
                    if (answer == "updateAck" && received.GetProperty("duplicate").GetBoolean())
                        throw new InvalidOperationException($"{what} {i} changed nothing: {received}");
                    break;
                }
                if (type == "error") throw new InvalidOperationException($"{what} {i} was refused: {received}");
            }
            if (i >= warmup) times[i - warmup] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        Array.Sort(times);
        StoreLatencyBench.Report(what, times, "");
    }

    private sealed class FrameReader(ClientWebSocket socket)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];

        public ClientWebSocket Socket => socket;

        public async Task<JsonElement> NextAsync()
        {
            using var frame = new MemoryStream();
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(_buffer.AsMemory(), default);
                if (result.MessageType == WebSocketMessageType.Close) throw new InvalidOperationException($"the server closed the connection: {socket.CloseStatus} {socket.CloseStatusDescription}");
                frame.Write(_buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);
            return JsonDocument.Parse(Encoding.UTF8.GetString(frame.ToArray())).RootElement.Clone();
        }
    }
}
