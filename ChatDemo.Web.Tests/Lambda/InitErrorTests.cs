using System.Diagnostics;
using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.Lambda;

/// <summary>
/// A start-up failure inside Lambda is reported to <c>/init/error</c>. This needs the app as its
/// own process: the failure escapes <c>Main</c>, as it does in a real execution environment.
/// </summary>
[Collection(LambdaCollection.Name)]
public sealed class InitErrorTests
{
    [Fact]
    public async Task ABadSettingAtStartIsPostedToInitErrorNamingTheSetting()
    {
        await using var runtime = await EmulatedRuntimeApi.StartAsync();
        using var folder = new TempFolder();
        var start = new ProcessStartInfo("dotnet", Path.Combine(AppContext.BaseDirectory, "ChatDemo.Web.dll"))
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["AWS_LAMBDA_RUNTIME_API"] = runtime.Address;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Chat__Sqlite__Path"] = folder.File("chat.db");
        start.Environment["Chat__Sessions__SigningKey"] = "test-signing-key-0123456789-abcdefghijklmnop";
        start.Environment["Chat__MessageRetentionDays"] = "0";

        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var error = await runtime.InitError.Task.WaitAsync(TimeSpan.FromSeconds(90));

            Assert.Contains("OptionsValidationException", error.ErrorType);
            Assert.Contains("Chat__MessageRetentionDays", error.Json.GetProperty("errorMessage").GetString());
            Assert.Equal(0, runtime.NextCalls);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.NotEqual(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }
}
