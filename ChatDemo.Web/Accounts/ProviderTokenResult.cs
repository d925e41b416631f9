using Microsoft.IdentityModel.JsonWebTokens;

namespace ChatDemo.Web.Accounts;

/// <summary>What <see cref="ProviderTokenValidator"/> made of a provider token: accepted, refused (which check), or not checkable now.</summary>
public sealed record ProviderTokenResult
{
    private ProviderTokenResult() { }

    /// <summary>The validated token; set when accepted.</summary>
    public JsonWebToken? Token { get; private init; }

    /// <summary>The failed check (<see cref="TokenChecks"/>); set when refused.</summary>
    public string? FailedCheck { get; private init; }

    /// <summary>Why, in words for the client; set unless accepted.</summary>
    public string? Detail { get; private init; }

    /// <summary>True when the provider's discovery document or keys could not be fetched.</summary>
    public bool ProviderUnavailable { get; private init; }

    public static ProviderTokenResult Accepted(JsonWebToken token) => new() { Token = token };

    public static ProviderTokenResult Refused(string check, string detail) => new() { FailedCheck = check, Detail = detail };

    public static ProviderTokenResult Unavailable(string detail) => new() { ProviderUnavailable = true, Detail = detail };
}
