using System.Runtime.CompilerServices;
using ChatDemo.Web.Accounts;

namespace ChatDemo.Web.Tests.Accounts;

internal static class IdentityModelSwitches
{
    /// <summary>
    /// The app sets this switch when it registers its services, before it handles any token; in the
    /// test process the tests' own token handling may come first, and IdentityModel reads the
    /// switch only once. Setting it as the test assembly loads gives every in-process app what a
    /// real process of the app has.
    /// </summary>
    [ModuleInitializer]
    internal static void AsTheAppSetsThem() => AppContext.SetSwitch(ProviderTokenValidator.BlockingRefreshSwitch, true);
}
