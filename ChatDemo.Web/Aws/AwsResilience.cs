using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace ChatDemo.Web.Aws;

public static class AwsResilience
{
    /// <summary>
    /// Attempts per call, the first included. With the backoff below that is a little over three
    /// seconds of waiting in all, which keeps a Lambda invocation short.
    /// </summary>
    public const int MaxAttempts = 6;

    /// <summary>One attempt's limit: one slow connection costs its own attempt, not the whole batch's time.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// An AWS client's transport: bounded, jittered retries of throttling, 5xx, attempt timeouts
    /// and broken connections (Microsoft.Extensions.Http.Resilience) above the SigV4 signer, so
    /// every attempt is signed anew. A client error (403, 410, 413, validation) is never retried.
    /// </summary>
    public static IHttpClientBuilder AddAwsTransport(this IHttpClientBuilder builder, string service, string serviceLabel)
    {
        // The pipeline's attempt timeout bounds each attempt; the caller's token bounds the call.
        builder.ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan);
        builder.AddResilienceHandler("aws", (pipeline, context) =>
        {
            var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AwsResilience).FullName!);
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = MaxAttempts - 1,
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(Backoff(args.AttemptNumber)),
                ShouldHandle = args => IsTransientAsync(serviceLabel, args.Outcome, args.Context.CancellationToken),
                OnRetry = args =>
                {
                    var (error, detail) = args.Outcome.Exception is { } e
                        ? ("transport", e.Message)
                        : (((int)args.Outcome.Result!.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), args.Outcome.Result.ReasonPhrase ?? "");
                    AwsLog.Retrying(logger, serviceLabel, args.AttemptNumber + 1, error, detail);
                    return ValueTask.CompletedTask;
                },
            });
            pipeline.AddTimeout(AttemptTimeout);
        });
        return builder.AddSigV4(service);
    }

    /// <summary>
    /// The wait before retry <paramref name="retry"/> (0, 1, …): an exponential step from 100 ms up
    /// to 2 s, half of it fixed and half random, so that throttled callers spread out but always
    /// back off.
    /// </summary>
    public static TimeSpan Backoff(int retry)
    {
        var step = Math.Min(2000, 100 * Math.Pow(2, retry));
        return TimeSpan.FromMilliseconds(step / 2 + Random.Shared.NextDouble() * step / 2);
    }

    private static async ValueTask<bool> IsTransientAsync(string service, Outcome<HttpResponseMessage> outcome, CancellationToken cancellationToken)
    {
        if (outcome.Exception is not null)
            return outcome.Exception is HttpRequestException or TimeoutRejectedException;
        var response = outcome.Result!;
        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.Gone) return false;
        // Throttling may come as a 400 with a throttling __type (JSON 1.1): the body decides. It is
        // buffered so that the caller can read it again when the call is not retried.
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        return AwsErrorResponse.IsTransient(await AwsErrorResponse.ReadAsync(service, response, cancellationToken));
    }
}
