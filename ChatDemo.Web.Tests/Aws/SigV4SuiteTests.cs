using System.Security.Cryptography;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace ChatDemo.Web.Tests.Aws;

/// <summary>
/// The AWS SigV4 test suite pins both signers: the tests' own verifier reproduces every expected
/// value, and AWSSDK.Core's <see cref="SigV4SigningHandler"/>, set up as the app sets it up,
/// signs the suite's requests so that the verifier accepts them and canonicalizes them as the
/// suite does.
/// </summary>
public sealed class SigV4SuiteTests
{
    public static TheoryData<string> AllCases =>
    [
        "get-vanilla", "post-vanilla", "get-vanilla-query-order-key-case", "post-x-www-form-urlencoded",
        "get-header-value-trim", "get-vanilla-with-session-token", "post-vanilla-query", "get-utf8",
        "post-sts-header-before", "post-sts-header-after",
    ];

    // post-sts-header-after adds the token after signing; the SDK always signs a session token,
    // which is what API Gateway and EventBridge ask for.
    public static TheoryData<string> CasesTheSdkCanSign =>
    [
        "get-vanilla", "post-vanilla", "get-vanilla-query-order-key-case", "post-x-www-form-urlencoded",
        "get-header-value-trim", "get-vanilla-with-session-token", "post-vanilla-query", "get-utf8",
        "post-sts-header-before",
    ];

    [Theory]
    [MemberData(nameof(AllCases))]
    public void TheVerifierReproducesTheSuitesCanonicalRequestStringToSignAndAuthorization(string name)
    {
        var suite = SigV4SuiteCase.Load(name);
        var request = suite.Request;
        if (name == "get-vanilla-with-session-token")
            request = request with { Headers = [.. request.Headers, new("X-Amz-Security-Token", SigV4SuiteCase.VanillaSessionToken)] };

        var canonical = SigV4Verifier.CanonicalRequest(request, suite.SignedHeaders, SigV4Verifier.Hex(SHA256.HashData(request.Body)));
        var stringToSign = SigV4Verifier.StringToSign(SigV4SuiteCase.AmzDate, SigV4SuiteCase.Scope, canonical);
        var signature = SigV4Verifier.Signature(SigV4SuiteCase.SecretKey, "20150830", "us-east-1", "service", stringToSign);

        Assert.Equal(suite.CanonicalRequest, canonical);
        Assert.Equal(suite.StringToSign, stringToSign);
        Assert.Equal(suite.Authorization,
            $"AWS4-HMAC-SHA256 Credential={SigV4SuiteCase.AccessKey}/{SigV4SuiteCase.Scope}, SignedHeaders={string.Join(';', suite.SignedHeaders)}, Signature={signature}");

        var signed = request with { Headers = [.. request.Headers, new("Authorization", suite.Authorization)] };
        var check = SigV4Verifier.Verify(signed, SecretFor, "service", "us-east-1");
        Assert.True(check.Valid, check.Reason);
    }

    [Theory]
    [MemberData(nameof(CasesTheSdkCanSign))]
    public async Task TheSigningHandlerSignsTheSuitesRequestsSoThatTheVerifierAcceptsThemAndCanonicalizesThemLikeTheSuite(string name)
    {
        var suite = SigV4SuiteCase.Load(name);
        var sent = await SignWithSdkAsync(suite);

        var check = SigV4Verifier.Verify(sent, SecretFor, "service", "us-east-1");
        Assert.True(check.Valid, check.Reason);

        // The SDK signs two headers more (x-amz-content-sha256 always, content-length with a body);
        // over the suite's own header list its request canonicalizes to the suite's.
        var expected = suite.CanonicalRequest;
        if (name == "get-utf8")
        {
            // The suite's request line carries raw UTF-8; on the wire it is percent-encoded, and
            // SigV4 encodes the wire path once more.
            Assert.Equal("/%E1%88%B4", sent.RawTarget);
            expected = expected.Replace("\n/%E1%88%B4\n", "\n/%25E1%2588%25B4\n");
        }
        var canonical = SigV4Verifier.CanonicalRequest(sent, suite.SignedHeaders, SigV4Verifier.Hex(SHA256.HashData(sent.Body)));
        Assert.Equal(expected, canonical);
        Assert.Equal(SigV4SuiteCase.AmzDate, sent.Header("X-Amz-Date"));
        if (suite.SessionToken is { } token) Assert.Equal(token, sent.Header("X-Amz-Security-Token"));
    }

    [Fact]
    public async Task TheSigningHandlerSignsPathsWithEscapedCharactersAsTheyAreSent()
    {
        var suite = SigV4SuiteCase.Load("get-vanilla");
        var request = suite.Request with { RawTarget = "/prod/@connections/" + Uri.EscapeDataString("ab=/c+d e") };

        var sent = await SignWithSdkAsync(suite with { Request = request });

        Assert.Equal("/prod/@connections/ab%3D%2Fc%2Bd%20e", sent.RawTarget);
        var check = SigV4Verifier.Verify(sent, SecretFor, "service", "us-east-1");
        Assert.True(check.Valid, check.Reason);
        Assert.Contains("\n/prod/%40connections/ab%253D%252Fc%252Bd%2520e\n", check.CanonicalRequest);
    }

    private static string? SecretFor(string accessKey) => accessKey == SigV4SuiteCase.AccessKey ? SigV4SuiteCase.SecretKey : null;

    private static async Task<ReceivedRequest> SignWithSdkAsync(SigV4SuiteCase suite)
    {
        AWSCredentials credentials = suite.SessionToken is { } token
            ? new SessionAWSCredentials(SigV4SuiteCase.AccessKey, SigV4SuiteCase.SecretKey, token)
            : new BasicAWSCredentials(SigV4SuiteCase.AccessKey, SigV4SuiteCase.SecretKey);
        var parameters = new AWSSigV4Parameters
        {
            Credentials = credentials,
            Region = RegionEndpoint.USEast1,
            Service = "service",
            SignedAt = SigV4SuiteCase.SignedAt,
        };
        var capture = new CapturingHandler();
        using var invoker = new HttpMessageInvoker(new SigV4SigningHandler(parameters, capture));

        var source = suite.Request;
        using var message = new HttpRequestMessage(new HttpMethod(source.Method), $"https://{source.Header("Host")}{source.RawTarget}");
        if (source.Body.Length > 0) message.Content = new ByteArrayContent(source.Body);
        foreach (var (name, value) in source.Headers)
        {
            // The handler sets the date and the token itself; Host comes from the URI.
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("X-Amz-Date", StringComparison.OrdinalIgnoreCase)
                || name.Equals("X-Amz-Security-Token", StringComparison.OrdinalIgnoreCase)) continue;
            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content ??= new ByteArrayContent([]);
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }
        using var response = await invoker.SendAsync(message, CancellationToken.None);
        return capture.Received!;
    }

    /// <summary>Stands in for the transport: records the request as it would go on the wire.</summary>
    private sealed class CapturingHandler : HttpMessageHandler
    {
        public ReceivedRequest? Received { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = new List<KeyValuePair<string, string>> { new("Host", request.RequestUri!.Authority) };
            headers.AddRange(request.Headers.Select(h => new KeyValuePair<string, string>(h.Key, string.Join(", ", h.Value))));
            var body = Array.Empty<byte>();
            if (request.Content is not null)
            {
                body = await request.Content.ReadAsByteArrayAsync(cancellationToken);
                headers.AddRange(request.Content.Headers.Select(h => new KeyValuePair<string, string>(h.Key, string.Join(", ", h.Value))));
            }
            Received = new ReceivedRequest(request.Method.Method, request.RequestUri.PathAndQuery, headers, body);
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK);
        }
    }
}
