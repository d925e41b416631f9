using System.Text;

namespace ChatDemo.Bench.Clients;

/// <summary>
/// A sender speaking protocol v1's <c>sendMessage</c> over a <see cref="LeanSocket"/>: ChatDemo's
/// senders, and the floor's, which re-broadcasts the very same frames. <paramref name="padTo"/>
/// pads each frame with a <c>pad</c> field to that many bytes (the floor fed frames as large as
/// the ones ChatDemo delivers).
/// </summary>
public sealed class SendMessageSender(LeanSocket socket, int padTo = 0) : IBenchSender
{
    public bool IsOpen => socket.IsOpen;

    public Task SendAsync(string clientMessageId, string text, CancellationToken cancellationToken)
    {
        var frame = $$"""{"action":"sendMessage","clientMessageId":"{{clientMessageId}}","text":"{{text}}"}""";
        const int padField = 9; // ,"pad":""
        if (padTo > frame.Length + padField)
            frame = string.Concat(frame.AsSpan(0, frame.Length - 1), ",\"pad\":\"", new string('p', padTo - frame.Length - padField), "\"}");
        return socket.SendAsync(Encoding.UTF8.GetBytes(frame), cancellationToken);
    }

    public ValueTask DisposeAsync() => socket.DisposeAsync();
}
