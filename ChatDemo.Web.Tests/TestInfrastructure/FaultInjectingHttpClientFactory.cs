using Amazon.Runtime;

namespace ChatDemo.Web.Tests.TestInfrastructure;

public enum InjectedFault
{
    /// <summary>The request fails before it reaches the engine: nothing was written.</summary>
    BeforeSending,

    /// <summary>The engine applied the request, then the answer was lost: as a crash right after a write.</summary>
    AfterApplying,
}

/// <summary>
/// Gives the AWS SDK an HttpClient that records each DynamoDB operation and can fail the Nth
/// request from now: how the tests put a crash between two writes of the store.
/// </summary>
public sealed class FaultInjectingHttpClientFactory : HttpClientFactory
{
    private readonly Handler _handler = new() { InnerHandler = new SocketsHttpHandler() };

    /// <summary>Operation names (<c>PutItem</c>, <c>UpdateItem</c>, …) in the order they were sent.</summary>
    public IReadOnlyList<string> Operations => _handler.Operations;

    /// <summary>Fails the <paramref name="nth"/> request from now (1 = the next one), once.</summary>
    public void FailRequest(int nth, InjectedFault fault) => _handler.Arm(nth, fault);

    public void ClearOperations() => _handler.Clear();

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(_handler, disposeHandler: false);

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    private sealed class Handler : DelegatingHandler
    {
        private readonly Lock _gate = new();
        private readonly List<string> _operations = [];
        private int _countdown;
        private InjectedFault _fault;

        public IReadOnlyList<string> Operations
        {
            get
            {
                lock (_gate) return _operations.ToArray();
            }
        }

        public void Arm(int nth, InjectedFault fault)
        {
            lock (_gate)
            {
                _countdown = nth;
                _fault = fault;
            }
        }

        public void Clear()
        {
            lock (_gate) _operations.Clear();
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var operation = Operation(request);
            bool fail;
            InjectedFault fault;
            lock (_gate)
            {
                _operations.Add(operation);
                fail = _countdown > 0 && --_countdown == 0;
                fault = _fault;
            }
            if (fail && fault == InjectedFault.BeforeSending)
                throw new HttpRequestException($"Injected fault: {operation} was never sent.");
            var response = await base.SendAsync(request, cancellationToken);
            if (fail && fault == InjectedFault.AfterApplying)
            {
                response.Dispose();
                throw new HttpRequestException($"Injected fault: {operation} was applied but its answer was lost.");
            }
            return response;
        }

        private static string Operation(HttpRequestMessage request)
        {
            var target = request.Headers.TryGetValues("X-Amz-Target", out var values)
                || (request.Content?.Headers.TryGetValues("X-Amz-Target", out values) ?? false)
                ? values!.First()
                : "unknown";
            return target[(target.IndexOf('.') + 1)..];
        }
    }
}
