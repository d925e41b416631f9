using System.Net;

namespace ChatDemo.Web.Aws;

/// <summary>
/// Sends one AWS call with the shared retry rules: a fresh request per attempt (so each attempt
/// is signed anew), retries on throttling, 5xx, timeouts and broken connections, bounded by
/// <see cref="AwsRetryPolicy"/>; every other error becomes a typed <see cref="AwsServiceException"/>.
/// </summary>
internal sealed class AwsHttpSender(HttpClient http, string service, AwsRetryPolicy retry, ILogger logger)
{
    /// <summary>
    /// A successful answer, or one whose status <paramref name="handled"/> accepts (410 Gone for
    /// API Gateway); the caller disposes it.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(
        Func<HttpRequestMessage> createRequest,
        Func<HttpStatusCode, bool>? handled,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            AwsServiceException error;
            using (var request = createRequest())
            {
                HttpResponseMessage response;
                try
                {
                    response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
                }
                catch (Exception e) when (IsTransportFailure(e, cancellationToken) && attempt < AwsRetryPolicy.MaxAttempts)
                {
                    AwsLog.Retrying(logger, service, attempt, "transport", e.Message);
                    await retry.DelayAsync(attempt + 1, cancellationToken);
                    continue;
                }

                if (response.IsSuccessStatusCode || handled?.Invoke(response.StatusCode) == true) return response;
                using (response)
                {
                    error = await AwsErrorResponse.ReadAsync(service, response, cancellationToken);
                }
            }

            if (!AwsErrorResponse.IsTransient(error) || attempt >= AwsRetryPolicy.MaxAttempts) throw error;
            AwsLog.Retrying(logger, service, attempt, error.ErrorCode ?? ((int)error.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), error.ServiceMessage);
            await retry.DelayAsync(attempt + 1, cancellationToken);
        }
    }

    private static bool IsTransportFailure(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested);
}
