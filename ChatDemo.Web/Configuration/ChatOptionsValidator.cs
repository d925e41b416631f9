using Microsoft.Extensions.Options;

namespace ChatDemo.Web.Configuration;

/// <summary>
/// Checks the configuration at start-up; each failure names the setting as an operator
/// would set it (<c>Chat__…</c>), so a bad value stops the app with an actionable message.
/// </summary>
internal sealed class ChatOptionsValidator(IHostEnvironment environment) : IValidateOptions<ChatOptions>
{
    public ValidateOptionsResult Validate(string? name, ChatOptions options)
    {
        var failures = new List<string>();

        if (options.Store is not (StoreKinds.Sqlite or StoreKinds.DynamoDb))
            failures.Add($"Chat__Store must be '{StoreKinds.Sqlite}' or '{StoreKinds.DynamoDb}' (got '{options.Store}').");

        if (options.FanOut is not (FanOutKinds.InProcess or FanOutKinds.EventBridge))
            failures.Add($"Chat__FanOut must be '{FanOutKinds.InProcess}' or '{FanOutKinds.EventBridge}' (got '{options.FanOut}').");

        if (options.MessageRetentionDays is < 1 or > 3650)
            failures.Add($"Chat__MessageRetentionDays must be between 1 and 3650 (got {options.MessageRetentionDays}).");

        ValidateSessions(options.Sessions, failures);
        AuthOptionsValidation.Validate(options.Auth, failures);
        ValidateUrls(options, failures);
        ValidateLimits(options.Limits, failures);

        if (options.Store == StoreKinds.DynamoDb)
        {
            if (string.IsNullOrWhiteSpace(options.DynamoDb.MessagesTable))
                failures.Add("Chat__DynamoDb__MessagesTable must name a table.");
            if (string.IsNullOrWhiteSpace(options.DynamoDb.ConnectionsTable))
                failures.Add("Chat__DynamoDb__ConnectionsTable must name a table.");
            if (string.IsNullOrWhiteSpace(options.DynamoDb.RoomsTable))
                failures.Add("Chat__DynamoDb__RoomsTable must name a table.");
            if (options.DynamoDb.CallTimeoutSeconds is < 1 or > 60)
                failures.Add($"Chat__DynamoDb__CallTimeoutSeconds must be between 1 and 60 (got {options.DynamoDb.CallTimeoutSeconds}).");
        }

        if (options.FanOut == FanOutKinds.EventBridge)
        {
            if (string.IsNullOrWhiteSpace(options.EventBridge.BusName))
                failures.Add("Chat__EventBridge__BusName is required when Chat__FanOut is EventBridge.");
            if (string.IsNullOrWhiteSpace(options.ApiGateway.ManagementEndpoint))
                failures.Add("Chat__ApiGateway__ManagementEndpoint is required when Chat__FanOut is EventBridge.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private void ValidateSessions(SessionOptions sessions, List<string> failures)
    {
        if (sessions.SigningKey is { } key && key.Length < 32)
            failures.Add("Chat__Sessions__SigningKey must be at least 32 characters long.");
        if (sessions.SigningKey is null && !environment.IsDevelopment())
            failures.Add("Chat__Sessions__SigningKey is required outside Development (a secret of at least 32 characters).");
        if (sessions.LifetimeHours is < 24 or > 720)
            failures.Add($"Chat__Sessions__LifetimeHours must be between 24 and 720 (got {sessions.LifetimeHours}).");
    }

    private static void ValidateUrls(ChatOptions options, List<string> failures)
    {
        CheckAbsolute("Chat__DynamoDb__ServiceUrl", options.DynamoDb.ServiceUrl, ["http", "https"], failures);
        CheckAbsolute("Chat__EventBridge__ServiceUrl", options.EventBridge.ServiceUrl, ["http", "https"], failures);
        CheckAbsolute("Chat__ApiGateway__ManagementEndpoint", options.ApiGateway.ManagementEndpoint, ["http", "https"], failures);
        CheckAbsolute("Chat__WebSocketUrl", options.WebSocketUrl, ["ws", "wss"], failures);
        foreach (var origin in AllowedOrigins.Parse(options.AllowedOrigins))
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                failures.Add($"Chat__AllowedOrigins entry '{origin}' is not an http(s) origin such as https://chat.example.com.");
        }
    }

    private static void CheckAbsolute(string setting, string? value, string[] schemes, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(value)) return;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || !schemes.Contains(uri.Scheme))
            failures.Add($"{setting} must be an absolute {string.Join(" or ", schemes)} URL (got '{value}').");
    }

    private static void ValidateLimits(ConnectionLimitOptions limits, List<string> failures)
    {
        void Positive(string setting, int value)
        {
            if (value < 1) failures.Add($"Chat__Limits__{setting} must be at least 1 (got {value}).");
        }

        Positive(nameof(limits.SendQueueFrames), limits.SendQueueFrames);
        Positive(nameof(limits.SendQueueBytes), limits.SendQueueBytes);
        Positive(nameof(limits.SendBurst), limits.SendBurst);
        Positive(nameof(limits.SendPerSecond), limits.SendPerSecond);
        Positive(nameof(limits.FloodStrikes), limits.FloodStrikes);
        Positive(nameof(limits.FloodWindowSeconds), limits.FloodWindowSeconds);
        Positive(nameof(limits.MaxConnections), limits.MaxConnections);
        if (limits.MaxFrameBytes is < 1024 or > 1024 * 1024)
            failures.Add($"Chat__Limits__MaxFrameBytes must be between 1024 and 1048576 (got {limits.MaxFrameBytes}).");
    }
}
