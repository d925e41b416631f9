using System.Net;
using System.Text;
using ChatDemo.Web.Aws;
using Microsoft.Extensions.DependencyInjection;

namespace ChatDemo.Web.Tests.Aws;

public sealed class ApiGatewayManagementClientTests : IAsyncLifetime
{
    private readonly ApiGatewayManagementFake _fake = new();
    private ServiceProvider _services = null!;
    private ApiGatewayManagementClient _client = null!;

    public Task InitializeAsync()
    {
        _services = AwsClientServices.Create(apiGateway: _fake);
        _client = _services.GetRequiredService<ApiGatewayManagementClient>();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Assert.Empty(_fake.SignatureFailures);
        await _services.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task PostToConnectionSendsTheFrameSignedForExecuteApiWithTheSessionToken()
    {
        var result = await _client.PostToConnectionAsync("abc=", """{"type":"pong"}"""u8.ToArray(), CancellationToken.None);

        Assert.Equal(PostResult.Delivered, result);
        Assert.Equal(["""{"type":"pong"}"""], _fake.Received("abc="));
        var call = Assert.Single(_fake.Calls);
        Assert.Equal("POST", call.Request.Method);
        Assert.Equal(AwsTestCredentials.SessionToken, call.Request.Header("X-Amz-Security-Token"));
        Assert.Contains("/us-east-1/execute-api/aws4_request", call.Request.Header("Authorization"));
    }

    [Theory]
    [InlineData("L0SM9cOFvHcCIhw=", "L0SM9cOFvHcCIhw%3D")]
    [InlineData("a/b+c==", "a%2Fb%2Bc%3D%3D")]
    [InlineData("x y%z?#&@", "x%20y%25z%3F%23%26%40")]
    public async Task ConnectionIdsArePercentEncodedAsOnePathSegmentAndSignedExactlyAsSent(string connectionId, string encoded)
    {
        Assert.Equal(PostResult.Delivered, await _client.PostToConnectionAsync(connectionId, "{}"u8.ToArray(), CancellationToken.None));
        Assert.True(await _client.DeleteConnectionAsync(connectionId, CancellationToken.None));

        var calls = _fake.Calls.ToList();
        Assert.Equal(2, calls.Count);
        Assert.All(calls, c => Assert.Equal($"/prod/@connections/{encoded}", c.Request.RawTarget));
        Assert.Equal(["{}"], _fake.Received(connectionId));
        Assert.Equal([connectionId], _fake.Deleted);
        // The verifier accepted them (no signature failures, checked on dispose): what was signed is what was sent.
    }

    [Fact]
    public async Task PostingToAGoneConnectionIsAGoneResultNotAnError()
    {
        _fake.Gone["gone="] = true;

        Assert.Equal(PostResult.Gone, await _client.PostToConnectionAsync("gone=", "{}"u8.ToArray(), CancellationToken.None));
        Assert.False(await _client.DeleteConnectionAsync("gone=", CancellationToken.None));
        Assert.Null(await _client.GetConnectionAsync("gone=", CancellationToken.None));
        Assert.Equal(3, _fake.Calls.Count);
    }

    [Fact]
    public async Task GetConnectionReadsTheConnectionsState()
    {
        var connection = await _client.GetConnectionAsync("live=", CancellationToken.None);

        Assert.NotNull(connection);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), connection.ConnectedAt);
        Assert.Equal("192.0.2.7", connection.SourceIp);
        Assert.Equal("test-agent", connection.UserAgent);
    }

    [Fact]
    public async Task ForbiddenIsATypedErrorWithTheServicesMessageAndIsNotRetried()
    {
        _fake.Forbidden["f="] = true;

        var error = await Assert.ThrowsAsync<AwsForbiddenException>(() => _client.PostToConnectionAsync("f=", "{}"u8.ToArray(), CancellationToken.None));

        Assert.Equal("ForbiddenException", error.ErrorCode);
        Assert.Equal("Forbidden", error.ServiceMessage);
        Assert.Single(_fake.Calls);
    }

    [Fact]
    public async Task AFrameOverApiGatewaysLimitIsATypedPayloadTooLargeError()
    {
        var frame = Encoding.UTF8.GetBytes("\"" + new string('x', ApiGatewayManagementFake.MaxFrameBytes) + "\"");

        var error = await Assert.ThrowsAsync<AwsPayloadTooLargeException>(() => _client.PostToConnectionAsync("big=", frame, CancellationToken.None));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, error.StatusCode);
        Assert.Equal("PayloadTooLargeException", error.ErrorCode);
        Assert.Single(_fake.Calls);
    }

    [Fact]
    public async Task A429StormIsRetriedWithBackoffUntilTheFrameIsDelivered()
    {
        _fake.Throttle("busy=", 4);

        var result = await _client.PostToConnectionAsync("busy=", """{"n":1}"""u8.ToArray(), CancellationToken.None);

        Assert.Equal(PostResult.Delivered, result);
        Assert.Equal(5, _fake.CallsFor("busy="));
        Assert.Equal(["""{"n":1}"""], _fake.Received("busy="));
        var times = _fake.Calls.Select(c => c.At).ToList();
        Assert.True(times[^1] - times[0] >= TimeSpan.FromMilliseconds(50 + 100 + 200 + 400), "the retries back off");
    }

    [Fact]
    public async Task ThrottlingThatOutlastsTheRetriesIsATypedThrottledErrorAfterABoundedNumberOfAttempts()
    {
        _fake.Throttle("storm=", 1000);

        var error = await Assert.ThrowsAsync<AwsThrottledException>(() => _client.PostToConnectionAsync("storm=", "{}"u8.ToArray(), CancellationToken.None));

        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Equal(AwsResilience.MaxAttempts, _fake.CallsFor("storm="));
    }

    [Fact]
    public async Task ServerErrorsAreRetriedABoundedNumberOfTimesThenReported()
    {
        _fake.Failing["broken="] = true;

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => _client.PostToConnectionAsync("broken=", "{}"u8.ToArray(), CancellationToken.None));

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal("InternalServerErrorException", error.ErrorCode);
        Assert.Equal(AwsResilience.MaxAttempts, _fake.CallsFor("broken="));
    }
}
