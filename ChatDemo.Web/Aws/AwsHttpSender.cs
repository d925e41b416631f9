using System.Net;

namespace ChatDemo.Web.Aws;

/// <summary>
/// Sends one AWS call through the client's pipeline (retries: <see cref="AwsResilience"/>) and
/// turns an error answer into a typed <see cref="AwsServiceException"/>.
/// </summary>
internal sealed class AwsHttpSender(HttpClient http, string service)
{
    /// <summary>
    /// A successful answer, or one whose status <paramref name="handled"/> accepts (410 Gone for
    /// API Gateway); the caller disposes it.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, Func<HttpStatusCode, bool>? handled, CancellationToken cancellationToken)
    {
        using (request)
        {
            var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            if (response.IsSuccessStatusCode || handled?.Invoke(response.StatusCode) == true) return response;
            using (response) throw await AwsErrorResponse.ReadAsync(service, response, cancellationToken);
        }
    }
}
