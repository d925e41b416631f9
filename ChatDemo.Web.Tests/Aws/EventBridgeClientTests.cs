using System.Net;
using ChatDemo.Web.Aws;
using Microsoft.Extensions.DependencyInjection;

namespace ChatDemo.Web.Tests.Aws;

public sealed class EventBridgeClientTests : IAsyncLifetime
{
    private readonly EventBridgeFake _fake = new();
    private ServiceProvider _services = null!;
    private EventBridgeClient _client = null!;

    public Task InitializeAsync()
    {
        _services = AwsClientServices.Create(eventBridge: _fake);
        _client = _services.GetRequiredService<EventBridgeClient>();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Assert.Empty(_fake.SignatureFailures);
        await _services.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private static EventEntry Entry(int n) => new("chatdemo", "chatdemo.room-event", $$"""{"n":{{n}}}""", "bus");

    [Fact]
    public async Task PutEventsSendsASignedJson11RequestWithItsTargetAndReturnsTheEventIds()
    {
        var ids = await _client.PutEventsAsync([Entry(1), Entry(2)], CancellationToken.None);

        Assert.Equal(2, ids.Count);
        Assert.All(ids, id => Assert.False(string.IsNullOrEmpty(id)));
        var call = Assert.Single(_fake.Calls);
        Assert.Equal("AWSEvents.PutEvents", call.Request.Header("X-Amz-Target"));
        Assert.Equal("application/x-amz-json-1.1", call.Request.Header("Content-Type"));
        Assert.Contains("/us-east-1/events/aws4_request", call.Request.Header("Authorization"));
        Assert.Equal([1, 2], _fake.Events.Select(e => e.Detail.GetProperty("n").GetInt32()));
        Assert.All(_fake.Events, e => Assert.Equal(("chatdemo", "chatdemo.room-event", "bus"), (e.Source, e.DetailType, e.EventBusName)));
    }

    [Fact]
    public async Task OnlyTheEntriesThatFailedAreSentAgain()
    {
        _fake.RejectEntries(e => e.Detail.GetProperty("n").GetInt32() is 2 or 3, times: 3);

        await _client.PutEventsAsync([Entry(1), Entry(2), Entry(3)], CancellationToken.None);

        var requests = _fake.Requests.Select(r => r.Select(e => e.Detail.GetProperty("n").GetInt32()).ToList()).ToList();
        // Three rejections in all: 2 and 3 on the first request, 2 again on the second.
        Assert.Equal([[1, 2, 3], [2, 3], [2]], requests);
        Assert.Equal([1, 2, 3], _fake.Events.Select(e => e.Detail.GetProperty("n").GetInt32()).Order());
    }

    [Fact]
    public async Task EntriesThatKeepFailingAreReportedAfterABoundedNumberOfAttempts()
    {
        _fake.RejectEntries(e => e.Detail.GetProperty("n").GetInt32() == 2, times: 1000, code: "ThrottlingException");

        var error = await Assert.ThrowsAsync<PutEventsFailedException>(() => _client.PutEventsAsync([Entry(1), Entry(2)], CancellationToken.None));

        Assert.Equal(AwsResilience.MaxAttempts, _fake.Requests.Count);
        var failure = Assert.Single(error.Failures);
        Assert.Equal((1, "ThrottlingException"), (failure.Index, failure.ErrorCode));
        Assert.Single(_fake.Events);
    }

    [Fact]
    public async Task APermanentEntryErrorIsReportedWithoutRetrying()
    {
        _fake.RejectEntries(_ => true, times: 1, code: "MalformedDetail");

        var error = await Assert.ThrowsAsync<PutEventsFailedException>(() => _client.PutEventsAsync([Entry(1)], CancellationToken.None));

        Assert.Equal("MalformedDetail", error.ErrorCode);
        Assert.Single(_fake.Requests);
    }

    [Theory]
    [InlineData(3, 400, "ThrottlingException", "Rate exceeded")]
    [InlineData(2, 500, "InternalException", "oops")]
    public async Task AThrottlingOrServerErrorIsRetriedUntilTheEventsAreAccepted(int failures, int status, string errorType, string message)
    {
        _fake.FailRequests(failures, status, errorType, message);

        await _client.PutEventsAsync([Entry(1)], CancellationToken.None);

        Assert.Equal(failures + 1, _fake.Calls.Count);
        Assert.Single(_fake.Events);
    }

    [Fact]
    public async Task AValidationErrorIsATypedErrorWithTheServicesMessageAndIsNotRetried()
    {
        _fake.FailRequests(1, 400, "com.amazonaws.events#ValidationException", "1 validation error detected");

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => _client.PutEventsAsync([Entry(1)], CancellationToken.None));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("ValidationException", error.ErrorCode);
        Assert.Equal("1 validation error detected", error.ServiceMessage);
        Assert.Single(_fake.Calls);
    }

    [Fact]
    public async Task AccessDeniedIsATypedForbiddenError()
    {
        _fake.FailRequests(1, 403, "AccessDeniedException", "not authorized to perform events:PutEvents");

        var error = await Assert.ThrowsAsync<AwsForbiddenException>(() => _client.PutEventsAsync([Entry(1)], CancellationToken.None));

        Assert.Equal("AccessDeniedException", error.ErrorCode);
        Assert.Contains("events:PutEvents", error.Message);
    }

    [Fact]
    public async Task MoreThanTenEntriesGoInRequestsOfAtMostTen()
    {
        await _client.PutEventsAsync(Enumerable.Range(1, 23).Select(Entry).ToList(), CancellationToken.None);

        Assert.Equal([10, 10, 3], _fake.Requests.Select(r => r.Count));
        Assert.Equal(Enumerable.Range(1, 23), _fake.Events.Select(e => e.Detail.GetProperty("n").GetInt32()));
    }
}
