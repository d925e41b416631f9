using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Amazon;
using Amazon.Runtime;
using ChatDemo.Web.Aws;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatDemo.Web.Tests.Aws;

/// <summary>The credentials AWS-mode tests sign with and their fakes check against.</summary>
public static class AwsTestCredentials
{
    public const string AccessKey = "AKIDCHATDEMOTEST";
    public const string SecretKey = "chatdemo-test-secret-key/0123456789+abcdef";
    public const string SessionToken = "chatdemo-test-session-token//+==";
    public const string Region = "us-east-1";

    public static AwsSigningIdentity Identity { get; } =
        new(new SessionAWSCredentials(AccessKey, SecretKey, SessionToken), RegionEndpoint.GetBySystemName(Region));

    public static string? SecretFor(string accessKey) => accessKey == AccessKey ? SecretKey : null;
}

/// <summary>A request a fake accepted (its signature verified), as it arrived.</summary>
public sealed record RecordedCall(ReceivedRequest Request, DateTimeOffset At)
{
    public string BodyText => Encoding.UTF8.GetString(Request.Body);
}

/// <summary>
/// A local stand-in for an AWS endpoint on real Kestrel (127.0.0.1, a free port). Every request's
/// SigV4 signature is recomputed over what arrived; a bad one is answered 403 as AWS would and
/// kept in <see cref="SignatureFailures"/>, which tests assert empty.
/// </summary>
/// <remarks>
/// A bare <see cref="KestrelServer"/> rather than a host: quick to start per test, and nothing in
/// it can be mistaken for the app's own host by WebApplicationFactory.
/// </remarks>
public abstract class FakeAwsService : IAsyncDisposable
{
    private readonly KestrelServer _server;
    private readonly string _service;

    protected FakeAwsService(string service)
    {
        _service = service;
        var options = new KestrelServerOptions { ApplicationServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        options.Listen(IPAddress.Loopback, 0);
        _server = new KestrelServer(Options.Create(options),
            new SocketTransportFactory(Options.Create(new SocketTransportOptions()), NullLoggerFactory.Instance), NullLoggerFactory.Instance);
        _server.StartAsync(new Application(HandleAsync), CancellationToken.None).GetAwaiter().GetResult();
        var address = _server.Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUri = new Uri(address.TrimEnd('/') + "/");
    }

    public Uri BaseUri { get; }

    public ConcurrentQueue<RecordedCall> Calls { get; } = new();

    public ConcurrentQueue<string> SignatureFailures { get; } = new();

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var headers = context.Request.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? ""))).ToList();
        var request = new ReceivedRequest(context.Request.Method, context.Features.Get<IHttpRequestFeature>()!.RawTarget, headers, body.ToArray());

        var check = SigV4Verifier.Verify(request, AwsTestCredentials.SecretFor, _service, AwsTestCredentials.Region, DateTimeOffset.UtcNow);
        if (!check.Valid)
        {
            SignatureFailures.Enqueue($"{request.Method} {request.RawTarget}: {check.Reason}");
            await WriteErrorAsync(context, StatusCodes.Status403Forbidden, "InvalidSignatureException", check.Reason);
            return;
        }
        var call = new RecordedCall(request, DateTimeOffset.UtcNow);
        Calls.Enqueue(call);
        await HandleVerifiedAsync(context, call);
    }

    protected abstract Task HandleVerifiedAsync(HttpContext context, RecordedCall call);

    /// <summary>An AWS error answer: the type in <c>x-amzn-ErrorType</c> and, JSON 1.1 style, in <c>__type</c>.</summary>
    protected static async Task WriteErrorAsync(HttpContext context, int status, string type, string message)
    {
        context.Response.StatusCode = status;
        context.Response.Headers["x-amzn-ErrorType"] = type;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = type, ["message"] = message }));
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync(CancellationToken.None);
        _server.Dispose();
        GC.SuppressFinalize(this);
    }

    private sealed class Application(RequestDelegate handle) : IHttpApplication<HttpContext>
    {
        public HttpContext CreateContext(IFeatureCollection contextFeatures) => new DefaultHttpContext(contextFeatures);

        public Task ProcessRequestAsync(HttpContext context) => handle(context);

        public void DisposeContext(HttpContext context, Exception? exception)
        {
        }
    }
}
