using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace ChatDemo.Web.Lambda;

/// <summary>
/// The <see cref="IServer"/> used inside Lambda in place of Kestrel: it listens on no socket, but
/// pulls invocations from the Runtime API one at a time (Lambda sends an execution environment
/// one invocation at a time) and runs each through the app's pipeline.
/// </summary>
internal sealed class LambdaServer(
    LambdaRuntimeClient runtime,
    LambdaInvocationRunner runner,
    IHostApplicationLifetime lifetime,
    ILogger<LambdaServer> logger) : IServer
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;
    private int _stopRequested;

    public IFeatureCollection Features { get; } = NoAddresses();

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        LambdaLog.Serving(logger, runtime.RuntimeApi);
        _loop = Task.Run(() => LoopAsync(application, _stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task LoopAsync<TContext>(IHttpApplication<TContext> application, CancellationToken stopping)
        where TContext : notnull
    {
        while (!stopping.IsCancellationRequested)
        {
            LambdaInvocation invocation;
            try
            {
                invocation = await runtime.NextAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Inside Lambda the Runtime API never goes away; when it does, the environment is being torn down.
                LambdaLog.RuntimeApiFailed(logger, e);
                lifetime.StopApplication();
                return;
            }

            try
            {
                await runner.RunAsync(application, invocation);
            }
            catch (Exception e)
            {
                // Only posting the result can fail here (the pipeline's own failures are a 500); the
                // invocation times out on Lambda's side, and the loop serves the next one.
                LambdaLog.PostFailed(logger, e, invocation.RequestId);
            }
        }
    }

    // The host may stop its server twice, the second time after disposing it: WebApplication.Run
    // stops the host once the application stops, and so does whoever stopped it (a test host).
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopRequested, 1) == 0) await _stopping.CancelAsync();
        await _loop.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stopRequested, 1) == 0) _stopping.Cancel();
        _stopping.Dispose();
    }

    private static FeatureCollection NoAddresses()
    {
        var features = new FeatureCollection();
        features.Set<IServerAddressesFeature>(new ServerAddressesFeature());
        return features;
    }
}
