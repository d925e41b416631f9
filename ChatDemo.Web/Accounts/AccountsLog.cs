namespace ChatDemo.Web.Accounts;

/// <summary>Accounts' log events. Provider tokens and their claims are never logged.</summary>
internal static partial class AccountsLog
{
    [LoggerMessage(EventId = 900, Level = LogLevel.Information, Message = "A provider token was refused: {Check}")]
    public static partial void TokenRefused(ILogger logger, string check);

    [LoggerMessage(EventId = 901, Level = LogLevel.Warning, Message = "The OpenID Connect provider {Authority} could not be reached for its discovery document or keys")]
    public static partial void ProviderUnreachable(ILogger logger, Exception exception, string authority);

    [LoggerMessage(EventId = 902, Level = LogLevel.Information, Message = "A provider token names key {KeyId}, not in the cached key set; fetching the provider's keys again")]
    public static partial void RefreshingKeys(ILogger logger, string keyId);
}
