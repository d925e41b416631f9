namespace ChatDemo.Web.Accounts;

public static class AccountsServiceCollectionExtensions
{
    /// <summary>Provider-token validation; inert (every token refused as <c>not_configured</c>) without <c>Chat__Auth__Oidc__Authority</c>.</summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        AppContext.SetSwitch(ProviderTokenValidator.BlockingRefreshSwitch, true);
        services.AddSingleton<ProviderTokenValidator>();
        services.AddHostedService<ProviderWarmUp>();
        return services;
    }
}
