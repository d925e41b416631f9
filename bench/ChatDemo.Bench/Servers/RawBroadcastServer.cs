using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Threading.Channels;

namespace ChatDemo.Bench.Servers;

/// <summary>
/// The floor: a minimal Kestrel WebSocket server that re-broadcasts every text frame it receives
/// to every connection, sender included. No storage, no validation beyond WebSocket framing; each
/// connection gets an unbounded queue drained by its own send loop (so that one slow socket does not
/// hold up the others), which is the least any broadcast server must do.
/// </summary>
public static class RawBroadcastServer
{
    public static async Task RunAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.UseWebSockets();

        var connections = new ConcurrentDictionary<Connection, byte>();
        app.MapGet("/health", () => "ok");
        app.Map("/ws", async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var connection = new Connection(socket);
            connections[connection] = 0;
            var sending = connection.SendLoopAsync();
            var buffer = ArrayPool<byte>.Shared.Rent(4096);
            try
            {
                while (true)
                {
                    var length = 0;
                    ValueWebSocketReceiveResult result;
                    do
                    {
                        if (length == buffer.Length)
                        {
                            var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                            buffer.AsSpan(0, length).CopyTo(larger);
                            ArrayPool<byte>.Shared.Return(buffer);
                            buffer = larger;
                        }
                        result = await socket.ReceiveAsync(buffer.AsMemory(length), context.RequestAborted);
                        length += result.Count;
                    } while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                    if (result.MessageType == WebSocketMessageType.Close) break;

                    // One copy per frame, shared by every recipient.
                    var frame = buffer.AsSpan(0, length).ToArray();
                    foreach (var other in connections.Keys) other.Outbox.Writer.TryWrite(frame);
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
            {
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
                connections.TryRemove(connection, out _);
                connection.Outbox.Writer.TryComplete();
                await sending;
            }
        });
        await app.RunAsync();
    }

    private sealed class Connection(WebSocket socket)
    {
        public Channel<byte[]> Outbox { get; } = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });

        public async Task SendLoopAsync()
        {
            try
            {
                await foreach (var frame in Outbox.Reader.ReadAllAsync())
                    await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                if (socket.State == WebSocketState.CloseReceived)
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
            }
        }
    }
}
