using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.EndToEnd;

/// <summary>
/// One <see cref="AwsLambdaStack"/> shared by the tests of a class that each use their own room:
/// starting the stack (the function, its tables on dynalite, the AWS fakes) is what costs. Its
/// per-address rate limits are lifted, as <see cref="ChatApp"/>'s are: every event comes from one address.
/// </summary>
public sealed class SharedAwsLambdaStack : IAsyncLifetime
{
    public AwsLambdaStack Stack { get; private set; } = null!;

    public async Task InitializeAsync() => Stack = await AwsLambdaStack.StartAsync(moreSettings: ChatApp.LiftedRateLimits);

    public async Task DisposeAsync() => await Stack.DisposeAsync();
}
