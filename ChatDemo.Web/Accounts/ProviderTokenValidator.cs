using System.Runtime.CompilerServices;
using ChatDemo.Web.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace ChatDemo.Web.Accounts;

/// <summary>
/// Validates a token from the configured OpenID Connect provider: a JWT signed with one of the
/// keys in the provider's JWKS (found through its discovery document, cached, fetched again when
/// a token names a key the cache does not have), issued by the provider, for
/// <c>Chat__Auth__Oidc__Audience</c>, within its lifetime (30 s clock skew), with a subject.
/// </summary>
/// <remarks>
/// The pieces are the ones <c>Microsoft.AspNetCore.Authentication.JwtBearer</c> is built from
/// (<see cref="ConfigurationManager{T}"/>, <see cref="JsonWebTokenHandler"/>), used directly: the
/// exchange must say which check failed in a problem body, which the handler's challenge cannot.
/// Lifetimes are judged against the system clock (IdentityModel's time-provider hook is not public).
/// </remarks>
public sealed class ProviderTokenValidator : IDisposable
{
    /// <summary>Only public-key signatures: an HMAC token would be signed with a secret the provider shares with nobody here.</summary>
    private static readonly string[] Algorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>ID tokens are a few KB; anything far larger is not one.</summary>
    private const int MaxTokenLength = 16 * 1024;

    /// <summary>
    /// By default a requested refresh runs in the background and the request that asked for it
    /// still sees the old keys; blocking makes "unknown kid → fetch the keys → retry" one request.
    /// Refreshes stay rate-limited by RefreshInterval (5 minutes), so tokens with made-up key ids
    /// cannot make the app hammer the provider. IdentityModel reads the switch once per process,
    /// so it is set when the app registers its services, before any token is handled.
    /// </summary>
    public const string BlockingRefreshSwitch = "Switch.Microsoft.IdentityModel.UpdateConfigAsBlocking";

    private readonly OidcOptions _oidc;
    private readonly bool _guests;
    private readonly ILogger<ProviderTokenValidator> _logger;
    private readonly HttpClient? _http;
    private readonly ConfigurationManager<OpenIdConnectConfiguration>? _configuration;
    private readonly JsonWebTokenHandler? _handler;
    private volatile IReadOnlyList<string> _pageFetchOrigins = [];

    public ProviderTokenValidator(IOptions<ChatOptions> options, ILogger<ProviderTokenValidator> logger)
    {
        _oidc = options.Value.Auth.Oidc;
        _guests = options.Value.Auth.Guests;
        _logger = logger;
        if (!options.Value.Auth.OidcEnabled) return;

        var authority = new Uri(_oidc.Authority!);
        _pageFetchOrigins = [authority.GetLeftPart(UriPartial.Authority)];
        _http = ConnectProvider(authority, out _configuration, out _handler);
    }

    // Apart from the constructor, which every start runs (the page and the warm-up ask for this
    // service): precompiled code loads the assemblies of the types a method creates before it
    // first runs, and IdentityModel's cost a cold start without a provider ~10 ms for nothing.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static HttpClient ConnectProvider(Uri authority, out ConfigurationManager<OpenIdConnectConfiguration> configuration, out JsonWebTokenHandler handler)
    {
        // A provider that accepts the connection and then says nothing must not hold the request for long.
        var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };
        configuration = new ConfigurationManager<OpenIdConnectConfiguration>(
            authority.OriginalString.TrimEnd('/') + "/.well-known/openid-configuration",
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever(http) { RequireHttps = authority.Scheme == Uri.UriSchemeHttps });
        handler = new JsonWebTokenHandler();
        return http;
    }

    /// <summary>
    /// The origins the page fetches from when it signs in: the authority's (discovery) and, once the
    /// discovery document has been read, the token endpoint's, which may differ (Cognito's hosted
    /// domain). Empty without a provider. For the page's Content-Security-Policy.
    /// </summary>
    public IReadOnlyList<string> PageFetchOrigins => _pageFetchOrigins;

    /// <summary>The provider's discovery document, fetched (or taken from the cache) now; null when it cannot be had.</summary>
    public async Task<OpenIdConnectConfiguration?> TryGetProviderConfigurationAsync(CancellationToken cancellationToken)
    {
        if (_configuration is null) return null;
        try
        {
            return await GetConfigurationAsync(cancellationToken);
        }
        catch (ProviderUnavailableException)
        {
            return null;
        }
    }

    public async Task<ProviderTokenResult> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        if (_configuration is null || _handler is null)
            return Refused(TokenChecks.NotConfigured, "This server has no OpenID Connect provider configured (Chat__Auth__Oidc__Authority); " +
                                                      "create a guest session with {\"name\": …} instead.");
        if (token.Length > MaxTokenLength || !_handler.CanReadToken(token))
            return Refused(TokenChecks.Malformed, "The bearer token is not a signed JWT (three base64url parts); send the provider's ID token.");
        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return Refused(TokenChecks.Malformed, "The bearer token is not a readable JWT; send the provider's ID token.");
        }
        if (jwt.IsEncrypted)
            return Refused(TokenChecks.Malformed, "Encrypted tokens (JWE) are not accepted; send the provider's signed ID token.");
        // Checked before anything else: an unsigned token is refused without a look at its claims.
        if (string.IsNullOrEmpty(jwt.Alg) || jwt.Alg.Equals("none", StringComparison.OrdinalIgnoreCase))
            return Refused(TokenChecks.Algorithm, "The token is unsigned (alg 'none'); only tokens signed by the provider are accepted.");
        if (!Algorithms.Contains(jwt.Alg))
            return Refused(TokenChecks.Algorithm, $"The token is signed with '{jwt.Alg}'; only the provider's public-key signatures ({string.Join(", ", Algorithms)}) are accepted.");

        OpenIdConnectConfiguration provider;
        TokenValidationResult result;
        try
        {
            provider = await GetConfigurationAsync(cancellationToken);
            result = await _handler.ValidateTokenAsync(jwt, Parameters(provider));
            if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
            {
                // The provider may have rotated its keys since they were cached.
                AccountsLog.RefreshingKeys(_logger, jwt.Kid ?? "(none)");
                _configuration.RequestRefresh();
                provider = await GetConfigurationAsync(cancellationToken);
                result = await _handler.ValidateTokenAsync(jwt, Parameters(provider));
            }
        }
        catch (ProviderUnavailableException e)
        {
            return ProviderTokenResult.Unavailable(e.Message);
        }

        if (!result.IsValid) return Refused(Classify(result.Exception, jwt, provider));
        if (string.IsNullOrEmpty(jwt.Subject))
            return Refused(TokenChecks.Subject, "The token has no subject ('sub'), so it names nobody.");
        return ProviderTokenResult.Accepted(jwt);
    }

    private TokenValidationParameters Parameters(OpenIdConnectConfiguration provider) => new()
    {
        ValidIssuer = provider.Issuer,
        ValidAudience = _oidc.EffectiveAudience,
        IssuerSigningKeys = provider.SigningKeys,
        ValidAlgorithms = Algorithms,
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ClockSkew = ClockSkew,
    };

    private async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancellationToken)
    {
        OpenIdConnectConfiguration provider;
        try
        {
            provider = await _configuration!.GetConfigurationAsync(cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException or TaskCanceledException
                                  && !cancellationToken.IsCancellationRequested)
        {
            AccountsLog.ProviderUnreachable(_logger, e, _oidc.Authority!);
            throw new ProviderUnavailableException(
                $"The sign-in provider {_oidc.Authority} could not be reached for its keys; try again later" +
                (_guests ? ", or continue as a guest." : "."), e);
        }
        // OpenID Connect Discovery 1.0 section 4.3: the document must name the issuer it was fetched for.
        if (!string.Equals(provider.Issuer?.TrimEnd('/'), _oidc.Authority!.TrimEnd('/'), StringComparison.Ordinal))
        {
            throw new ProviderUnavailableException(
                $"The provider's discovery document names the issuer '{provider.Issuer}', not Chat__Auth__Oidc__Authority '{_oidc.Authority}'; " +
                "the server's configuration must be corrected.", null);
        }
        if (Uri.TryCreate(provider.TokenEndpoint, UriKind.Absolute, out var tokenEndpoint)
            && !_pageFetchOrigins.Contains(tokenEndpoint.GetLeftPart(UriPartial.Authority)))
            _pageFetchOrigins = [.. _pageFetchOrigins, tokenEndpoint.GetLeftPart(UriPartial.Authority)];
        return provider;
    }

    private ProviderTokenResult Refused((string Check, string Detail) failure) => Refused(failure.Check, failure.Detail);

    private ProviderTokenResult Refused(string check, string detail)
    {
        AccountsLog.TokenRefused(_logger, check);
        return ProviderTokenResult.Refused(check, detail);
    }

    private (string Check, string Detail) Classify(Exception? failure, JsonWebToken jwt, OpenIdConnectConfiguration provider) => failure switch
    {
        SecurityTokenInvalidIssuerException =>
            (TokenChecks.Issuer, $"The token was issued by '{Claim(jwt, "iss")}', not by the provider '{provider.Issuer}'."),
        SecurityTokenInvalidAudienceException =>
            (TokenChecks.Audience, $"The token is for '{Audiences(jwt)}', not for '{_oidc.EffectiveAudience}' (Chat__Auth__Oidc__Audience); " +
                                   "send the ID token the provider issued to this app's client."),
        SecurityTokenExpiredException =>
            (TokenChecks.Expired, $"The token expired at {jwt.ValidTo:yyyy-MM-ddTHH:mm:ssZ}; sign in again."),
        SecurityTokenNotYetValidException =>
            (TokenChecks.NotYetValid, $"The token is not valid before {jwt.ValidFrom:yyyy-MM-ddTHH:mm:ssZ}; check the clocks of the provider and the client."),
        SecurityTokenNoExpirationException or SecurityTokenInvalidLifetimeException =>
            (TokenChecks.Lifetime, "The token has no usable lifetime ('exp' missing, or 'nbf' after 'exp')."),
        SecurityTokenSignatureKeyNotFoundException =>
            (TokenChecks.Key, $"The token is signed with a key ('kid' {Claim(jwt, "kid", header: true)}) that the provider's key set (JWKS) does not have."),
        SecurityTokenInvalidSignatureException =>
            (TokenChecks.Signature, "The token's signature does not verify with the provider's key: it was altered, or not issued by the provider."),
        SecurityTokenInvalidAlgorithmException =>
            (TokenChecks.Algorithm, $"The token is signed with '{jwt.Alg}', which is not accepted."),
        SecurityTokenMalformedException or ArgumentException =>
            (TokenChecks.Malformed, "The bearer token is not a readable JWT; send the provider's ID token."),
        _ => (TokenChecks.Invalid, "The token was not accepted by the provider's validation rules."),
    };

    private static string Claim(JsonWebToken jwt, string name, bool header = false)
    {
        var found = header ? jwt.TryGetHeaderValue<string>(name, out var value) : jwt.TryGetPayloadValue(name, out value);
        return found && value is not null ? Shorten(value) : "(none)";
    }

    private static string Audiences(JsonWebToken jwt) => Shorten(string.Join(", ", jwt.Audiences));

    /// <summary>Values from an unverified token go into the answer; they are bounded so it stays small.</summary>
    private static string Shorten(string value) => value.Length <= 100 ? value : value[..100] + "…";

    public void Dispose()
    {
        _http?.Dispose();
    }

    private sealed class ProviderUnavailableException(string message, Exception? inner) : Exception(message, inner);
}
