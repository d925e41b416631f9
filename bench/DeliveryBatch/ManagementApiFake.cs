using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace DeliveryBatchBench;

/// <summary>
/// A stand-in for the API Gateway Management API of one stage on loopback Kestrel: each
/// <c>POST /{stage}/@connections/{id}</c> waits a fixed delay (what a call to the real service
/// costs from inside the region) and answers 200. It checks what it receives: a SigV4
/// <c>Authorization</c> header for <c>execute-api</c>, and the exact frame the batch carries.
/// </summary>
internal sealed class ManagementApiFake : IAsyncDisposable
{
    public const string Stage = "prod";

    private readonly WebApplication _app;

    private ManagementApiFake(WebApplication app) => _app = app;

    public TimeSpan Delay { get; set; }

    public byte[] ExpectedFrame { get; set; } = [];

    public ConcurrentQueue<string> Posted { get; } = new();

    public ConcurrentQueue<string> Errors { get; } = new();

    public Uri ManagementEndpoint =>
        new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/" + Stage);

    public static async Task<ManagementApiFake> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new ManagementApiFake(app);
        app.MapPost($"/{Stage}/@connections/{{connectionId}}", fake.PostAsync);
        await app.StartAsync();
        return fake;
    }

    private async Task<IResult> PostAsync(HttpContext context, string connectionId)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var authorization = context.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("AWS4-HMAC-SHA256 Credential=", StringComparison.Ordinal) || !authorization.Contains("/execute-api/aws4_request", StringComparison.Ordinal))
            Errors.Enqueue($"{connectionId}: not signed for execute-api ({authorization})");
        if (!body.ToArray().AsSpan().SequenceEqual(ExpectedFrame))
            Errors.Enqueue($"{connectionId}: the body is not the batch's frame");
        await Task.Delay(Delay, context.RequestAborted);
        Posted.Enqueue(connectionId);
        return Results.Ok();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
