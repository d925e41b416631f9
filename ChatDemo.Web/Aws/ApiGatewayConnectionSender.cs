using ChatDemo.Web.Chat;

namespace ChatDemo.Web.Aws;

/// <summary>
/// AWS mode's sender: a frame for one connection (ack, error, pong, a delivered room event) is a
/// PostToConnection. False when the connection is gone (410); any other failure that outlasts the
/// retries is thrown, so that the delivery path can report it for that connection.
/// </summary>
public sealed class ApiGatewayConnectionSender(ApiGatewayManagementClient client) : IConnectionSender
{
    public async ValueTask<bool> SendAsync(string connectionId, ReadOnlyMemory<byte> frame, CancellationToken cancellationToken) =>
        await client.PostToConnectionAsync(connectionId, frame, cancellationToken) == PostResult.Delivered;
}
