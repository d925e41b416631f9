using System.Collections.Concurrent;
using Amazon.Runtime;

namespace StoreLatency;

/// <summary>
/// Gives the DynamoDB client an HttpClient that counts the requests it sends by operation
/// (the <c>X-Amz-Target</c> header: <c>DynamoDB_20120810.PutItem</c> → <c>PutItem</c>), so the
/// benchmark reports the store calls each operation costs next to its latency.
/// </summary>
internal sealed class CountingHttpClientFactory : HttpClientFactory
{
    private readonly CountingHandler _handler = new() { InnerHandler = new SocketsHttpHandler() };

    public IReadOnlyDictionary<string, int> Counts => _handler.Counts.ToDictionary();

    public void Reset() => _handler.Counts.Clear();

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(_handler, disposeHandler: false);

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    private sealed class CountingHandler : DelegatingHandler
    {
        public ConcurrentDictionary<string, int> Counts { get; } = new(StringComparer.Ordinal);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var target = request.Headers.TryGetValues("X-Amz-Target", out var values)
                || (request.Content?.Headers.TryGetValues("X-Amz-Target", out values) ?? false)
                ? values!.First()
                : "unknown";
            Counts.AddOrUpdate(target[(target.IndexOf('.') + 1)..], 1, (_, n) => n + 1);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
