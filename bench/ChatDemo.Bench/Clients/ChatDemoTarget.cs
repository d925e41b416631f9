using System.Net.Http.Json;
using System.Text.Json;
using ChatDemo.Bench.Load;

namespace ChatDemo.Bench.Clients;

/// <summary>
/// Protocol v1 as any client speaks it: a guest session from <c>POST /api/sessions</c>, then
/// <c>/ws?room=…&amp;token=…</c>, <c>sendMessage</c> frames with a <c>clientMessageId</c>, and an
/// <c>ack</c> for each. All receivers share one guest session (one user with many tabs), so that
/// joining announces one presence instead of a thousand; each sender has its own.
/// </summary>
public sealed class ChatDemoTarget(Uri baseUri, string room, string name = "chatdemo") : IBenchTarget
{
    private readonly HttpClient _http = new() { BaseAddress = baseUri };
    private string? _receiverToken;

    public string Name => name;

    public bool Acknowledges => true;

    public async Task<LeanSocket> ConnectReceiverAsync(DeliveryStats stats, int receiveBufferBytes, CancellationToken cancellationToken)
    {
        var token = _receiverToken ??= await CreateSessionAsync("bench reader", cancellationToken);
        return await LeanSocket.ConnectAsync(SocketUri(token), stats, receiveBufferBytes, cancellationToken);
    }

    public async Task<IBenchSender> ConnectSenderAsync(int index, DeliveryStats stats, CancellationToken cancellationToken)
    {
        var token = await CreateSessionAsync($"bench sender {index}", cancellationToken);
        return new SendMessageSender(await LeanSocket.ConnectAsync(SocketUri(token), stats, 4096, cancellationToken));
    }

    private Uri SocketUri(string token) =>
        new($"ws://{_http.BaseAddress!.Authority}/ws?room={room}&token={Uri.EscapeDataString(token)}");

    private async Task<string> CreateSessionAsync(string name, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync("/api/sessions", new { name }, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var session = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return session.RootElement.GetProperty("token").GetString()!;
    }
}
