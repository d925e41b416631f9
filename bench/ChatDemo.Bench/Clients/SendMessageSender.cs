using System.Text;

namespace ChatDemo.Bench.Clients;

/// <summary>
/// A sender speaking protocol v1's <c>sendMessage</c> over a <see cref="LeanSocket"/>: ChatDemo's
/// senders, and the floor's, which re-broadcasts the very same frames.
/// </summary>
public sealed class SendMessageSender(LeanSocket socket) : IBenchSender
{
    public bool IsOpen => socket.IsOpen;

    public Task SendAsync(string clientMessageId, string text, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(
            $$"""{"action":"sendMessage","clientMessageId":"{{clientMessageId}}","text":"{{text}}"}"""), cancellationToken);

    public ValueTask DisposeAsync() => socket.DisposeAsync();
}
