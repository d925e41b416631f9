using ChatDemo.Web.FanOut;

namespace ChatDemo.Web.Aws;

/// <summary>AWS mode's sender: a frame for one connection (ack, error, pong, a delivered room event) is a PostToConnection.</summary>
public sealed class ApiGatewayConnectionSender(ApiGatewayManagementClient client) : IConnectionSender
{
    public async ValueTask<bool> SendAsync(string connectionId, ReadOnlyMemory<byte> frame, CancellationToken cancellationToken) =>
        await client.PostToConnectionAsync(connectionId, frame, cancellationToken) == PostResult.Delivered;
}
