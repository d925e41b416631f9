namespace ChatDemo.Web.Tests.Infra;

/// <summary>
/// infra/template.yaml through cfn-lint, which applies the SAM transform and checks every
/// resource's properties against CloudFormation's own resource specifications (types, allowed
/// values, required properties, dependency cycles): what the YamlDotNet tests do not know.
/// </summary>
public sealed class CfnLintTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task TheTemplatePassesCfnLint()
    {
        var result = await LintAsync(Repository.TemplatePath);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task CfnLintRejectsAValueCloudFormationDoesNotAllow()
    {
        // Proves the linter runs and judges: one property of the distribution given a value no
        // distribution accepts.
        var broken = Path.Combine(Path.GetTempPath(), $"chatdemo-broken-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(broken, (await File.ReadAllTextAsync(Repository.TemplatePath))
            .Replace("PriceClass: PriceClass_100", "PriceClass: PriceClass_Cheap", StringComparison.Ordinal));
        try
        {
            var result = await LintAsync(broken);

            Assert.True(result.ExitCode != 0, result.ToString());
            Assert.Contains("PriceClass_Cheap", result.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(broken);
        }
    }

    private static Task<ProcessResult> LintAsync(string template) =>
        Repository.RunAsync("cfn-lint", ["--format", "parseable", template], Path.GetDirectoryName(template)!, Timeout,
            "cfn-lint is required for the template tests (pip install cfn-lint; the project's machine image has it)");
}
