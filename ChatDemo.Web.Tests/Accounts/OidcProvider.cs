using System.Buffers.Text;
using System.Diagnostics;
using ChatDemo.Web.Tests.TestInfrastructure;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChatDemo.Web.Tests.Infra;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ChatDemo.Web.Tests.Accounts;

/// <summary>
/// A real OpenID Connect provider — the npm package oidc-provider, run by oidc-provider.mjs as a
/// local Node process on a free loopback port — with one public PKCE client and the test
/// accounts alice, bob and carol. The test makes its RSA signing key, so it can also mint the
/// tokens the provider never would (expired, for another audience, …) with the provider's very
/// key, and tokens signed with a key the provider's JWKS does not have.
/// </summary>
public sealed partial class OidcProvider : IAsyncDisposable
{
    public const string ClientId = "chatdemo-test";

    private readonly Process _process;

    private OidcProvider(Process process, string issuer, RsaSecurityKey key)
    {
        _process = process;
        Issuer = issuer;
        SigningKey = key;
    }

    /// <summary>The provider's issuer URL: what <c>Chat__Auth__Oidc__Authority</c> is set to.</summary>
    public string Issuer { get; }

    /// <summary>The key the provider signs with (its JWKS lists it).</summary>
    public RsaSecurityKey SigningKey { get; private set; }

    public static async Task<OidcProvider> StartAsync()
    {
        var root = Repository.Root;
        if (!File.Exists(Path.Combine(root, "node_modules", "oidc-provider", "package.json")))
            Assert.Fail($"oidc-provider is not installed in {root}/node_modules: run 'npm ci --no-audit --no-fund' in the repository root (./test.sh does).");

        var key = NewKey("provider-key-1");
        var (process, issuer) = await NodeServer.StartAsync(
        [
            Path.Combine(root, "ChatDemo.Web.Tests", "Accounts", "oidc-provider.mjs"),
            JsonSerializer.Serialize(new { keys = new[] { PrivateJwk(key) }, clientId = ClientId }),
        ], "issuer", "the OpenID provider (oidc-provider.mjs)");
        return new OidcProvider(process, issuer, key);
    }

    public static RsaSecurityKey NewKey(string keyId) => new(RSA.Create(2048)) { KeyId = keyId };

    /// <summary>Replaces the provider's signing key (a key rotation); the port and issuer stay.</summary>
    public async Task RotateKeyAsync(RsaSecurityKey newKey)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsJsonAsync(new Uri(new Uri(Issuer), "/test/keys"), new { keys = new[] { PrivateJwk(newKey) } });
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        SigningKey = newKey;
    }

    /// <summary>
    /// Signs in as <paramref name="login"/> the way the page does — authorization code flow with
    /// PKCE through the provider's own login form — and returns the ID token. Each call is a new
    /// browser: no provider session is shared.
    /// </summary>
    public async Task<string> SignInAsync(string login, string redirectUri = "http://127.0.0.1:5080/")
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
        using var http = new HttpClient(handler);
        var verifier = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var state = Guid.NewGuid().ToString("N");
        var nonce = Guid.NewGuid().ToString("N");

        var authorize = $"{Issuer}/auth?client_id={ClientId}&response_type=code&scope=openid%20profile%20email" +
                        $"&redirect_uri={Uri.EscapeDataString(redirectUri)}&code_challenge={challenge}&code_challenge_method=S256" +
                        $"&state={state}&nonce={nonce}";
        var loginPage = await RedirectTargetAsync(http, new HttpRequestMessage(HttpMethod.Get, authorize));
        var form = await http.GetStringAsync(loginPage);
        var action = FormAction().Match(form);
        Assert.True(action.Success, $"the provider's login page has no form: {form}");

        var submitted = await RedirectTargetAsync(http, new HttpRequestMessage(HttpMethod.Post, WebUtility.HtmlDecode(action.Groups[1].Value))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["prompt"] = "login", ["login"] = login, ["password"] = "any" }),
        });
        var callback = await RedirectTargetAsync(http, new HttpRequestMessage(HttpMethod.Get, submitted));
        Assert.StartsWith(redirectUri, callback.ToString(), StringComparison.Ordinal);
        var query = System.Web.HttpUtility.ParseQueryString(callback.Query);
        Assert.Equal(state, query["state"]);
        Assert.True(query["code"] is not null, $"the provider answered without a code: {callback}");

        using var tokenResponse = await http.PostAsync($"{Issuer}/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = query["code"]!, ["redirect_uri"] = redirectUri,
            ["client_id"] = ClientId, ["code_verifier"] = verifier,
        }));
        var body = await tokenResponse.Content.ReadAsStringAsync();
        Assert.True(tokenResponse.IsSuccessStatusCode, $"the token endpoint refused the code: {body}");
        var idToken = JsonDocument.Parse(body).RootElement.GetProperty("id_token").GetString()!;
        Assert.Equal(nonce, new JsonWebToken(idToken).GetPayloadValue<string>("nonce"));
        return idToken;
    }

    private static async Task<Uri> RedirectTargetAsync(HttpClient http, HttpRequestMessage request)
    {
        using (request)
        using (var response = await http.SendAsync(request))
        {
            Assert.True((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is not null,
                $"expected a redirect from {request.RequestUri}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            return new Uri(request.RequestUri!, response.Headers.Location!);
        }
    }

    [GeneratedRegex("<form[^>]*action=\"([^\"]+)\"")]
    private static partial Regex FormAction();

    /// <summary>
    /// A token as the provider would sign it, for <paramref name="subject"/>, issued now and valid for an
    /// hour; <paramref name="adjust"/> spoils one part of it. Signed with <paramref name="key"/> (default: the provider's).
    /// </summary>
    public string Mint(string subject = "alice", Action<SecurityTokenDescriptor>? adjust = null, SecurityKey? key = null)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = ClientId,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            Claims = new Dictionary<string, object> { ["sub"] = subject, ["name"] = "Minted " + subject },
            SigningCredentials = new SigningCredentials(key ?? SigningKey, SecurityAlgorithms.RsaSha256),
        };
        adjust?.Invoke(descriptor);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    private static Dictionary<string, string> PrivateJwk(RsaSecurityKey key)
    {
        var p = key.Rsa.ExportParameters(includePrivateParameters: true);
        return new Dictionary<string, string>
        {
            ["kty"] = "RSA", ["kid"] = key.KeyId, ["alg"] = "RS256", ["use"] = "sig",
            ["n"] = Base64Url.EncodeToString(p.Modulus), ["e"] = Base64Url.EncodeToString(p.Exponent),
            ["d"] = Base64Url.EncodeToString(p.D), ["p"] = Base64Url.EncodeToString(p.P), ["q"] = Base64Url.EncodeToString(p.Q),
            ["dp"] = Base64Url.EncodeToString(p.DP), ["dq"] = Base64Url.EncodeToString(p.DQ), ["qi"] = Base64Url.EncodeToString(p.InverseQ),
        };
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}
