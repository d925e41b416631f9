namespace ChatDemo.Web.Tests.Infra;

/// <summary>statemachine/message-distribution.asl.json against asl-validator (npm).</summary>
public sealed class AslValidationTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task TheWorkflowDefinitionPassesAslValidator()
    {
        var result = await ValidateAsync(Repository.WorkflowPath);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("is valid", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AslValidatorRejectsADefinitionWhoseNextNamesNoState()
    {
        // Proves the validator runs and judges: the same definition with one broken transition fails.
        var broken = Path.Combine(Path.GetTempPath(), $"chatdemo-broken-{Guid.NewGuid():N}.asl.json");
        await File.WriteAllTextAsync(broken, (await File.ReadAllTextAsync(Repository.WorkflowPath))
            .Replace("\"Next\": \"MorePages\"", "\"Next\": \"NoSuchState\"", StringComparison.Ordinal));
        try
        {
            var result = await ValidateAsync(broken);

            Assert.True(result.ExitCode != 0, result.ToString());
        }
        finally
        {
            File.Delete(broken);
        }
    }

    private static Task<ProcessResult> ValidateAsync(string definitionPath) =>
        Repository.RunNodeAsync([Path.Combine("node_modules", "asl-validator", "dist", "bin", "asl-validator.js"), "--json-path", definitionPath], Timeout);
}
