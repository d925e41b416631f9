namespace ChatDemo.Web.Tests.TestInfrastructure;

/// <summary>One app shared by the tests of a class that each use their own room or session: isolated by name.</summary>
public sealed class SharedChatApp : IAsyncLifetime
{
    public ChatApp App { get; private set; } = null!;

    /// <summary>Settings for the shared app; history tests lift the send rate limit to fill rooms quickly.</summary>
    public IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?> { ["Chat:Limits:SendBurst"] = "10000" };

    public async Task InitializeAsync() => App = await ChatApp.StartAsync(Settings);

    public async Task DisposeAsync() => await App.DisposeAsync();
}
