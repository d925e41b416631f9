using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Signing;

namespace ChatDemo.Web.Aws;

/// <summary>
/// Who signs and for which region: AWSSDK.Core's default credential chain (environment,
/// profile, container and instance roles) and <c>AWS_REGION</c>. Tests replace this service
/// with fixed credentials that their fake endpoints know.
/// </summary>
public sealed record AwsSigningIdentity(AWSCredentials Credentials, RegionEndpoint Region)
{
    /// <summary>The default chain; <paramref name="region"/> is <c>AWS_REGION</c> (checked at start).</summary>
    public static AwsSigningIdentity FromDefaultChain(string region) =>
        new(DefaultAWSCredentialsIdentityResolver.GetCredentials(null), RegionEndpoint.GetBySystemName(region));
}

public static class SigV4HttpClientBuilderExtensions
{
    /// <summary>
    /// Signs every request of the client with SigV4 for <paramref name="service"/>, using
    /// AWSSDK.Core's <see cref="SigV4SigningHandler"/>.
    /// </summary>
    /// <remarks>
    /// The handler is installed as the primary handler rather than with <c>AddHttpMessageHandler</c>:
    /// its constructor always fills <c>InnerHandler</c> (a null inner handler becomes a default
    /// transport), which the client factory refuses for additional handlers. Its inner transport
    /// does not follow redirects, because a followed redirect would not be re-signed. Retries
    /// (<see cref="AwsResilience"/>) happen above this handler, so every attempt is signed with a
    /// fresh timestamp.
    /// </remarks>
    public static IHttpClientBuilder AddSigV4(this IHttpClientBuilder builder, string service) =>
        builder.ConfigurePrimaryHttpMessageHandler(services =>
        {
            var identity = services.GetRequiredService<AwsSigningIdentity>();
            var parameters = new AWSSigV4Parameters
            {
                Credentials = identity.Credentials,
                Region = identity.Region,
                Service = service,
            };
            // The typed clients live in singletons (the fan-out, the sender), so the transport
            // recycles its connections itself to follow DNS changes.
            var transport = new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) };
            return new SigV4SigningHandler(parameters, transport);
        });
}
