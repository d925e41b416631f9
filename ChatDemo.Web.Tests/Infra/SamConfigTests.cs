using System.Text.RegularExpressions;

namespace ChatDemo.Web.Tests.Infra;

/// <summary>
/// infra/samconfig.toml: the defaults that let <c>sam deploy</c> run without <c>--guided</c>, and
/// nothing that belongs to one account.
/// </summary>
public sealed partial class SamConfigTests
{
    private static readonly string ConfigPath = Path.Combine(Repository.Root, "infra", "samconfig.toml");

    private readonly CloudFormationTemplate _template = CloudFormationTemplate.Load(Repository.TemplatePath);

    private readonly Dictionary<string, string> _settings = Read(File.ReadAllText(ConfigPath));

    [Fact]
    public void DeployHasEverythingTheGuidedDeployWouldAskFor()
    {
        Assert.Equal("0.1", _settings["version"]);
        Assert.Equal("chatdemo", _settings["default.global.parameters.stack_name"]);
        // The roles the template creates have no names: CAPABILITY_IAM, not CAPABILITY_NAMED_IAM.
        Assert.Equal("CAPABILITY_IAM", _settings["default.deploy.parameters.capabilities"]);
        Assert.Equal("true", _settings["default.deploy.parameters.resolve_s3"]);
        Assert.True(_settings.ContainsKey("default.deploy.parameters.confirm_changeset"));
    }

    [Fact]
    public void TheParameterOverridesNameTemplateParametersWithValuesTheTemplateAccepts()
    {
        var overrides = _settings["default.deploy.parameters.parameter_overrides"]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(o => o.Split('=', 2))
            .ToDictionary(o => o[0], o => o[1]);

        Assert.NotEmpty(overrides);
        foreach (var (name, value) in overrides)
        {
            var parameter = _template.Parameters[name];
            Assert.True(parameter is not null, $"samconfig.toml overrides '{name}', which the template does not declare.");
            // The defaults, written out: what the guided deploy would have saved.
            Assert.Equal((string?)parameter!["Default"], value);
            if (parameter["AllowedValues"] is { } allowed) Assert.Contains(value, allowed.AsArray().Select(v => (string?)v));
            if (parameter["AllowedPattern"] is { } pattern) Assert.Matches((string)pattern!, value);
        }
    }

    [Fact]
    public void ItHoldsNoAccountIdRegionArnOrSecret()
    {
        var text = File.ReadAllText(ConfigPath);

        Assert.DoesNotMatch(@"\b\d{12}\b", text);
        Assert.DoesNotContain("arn:", text, StringComparison.Ordinal);
        Assert.DoesNotContain(_settings.Keys, k => k.EndsWith(".region", StringComparison.Ordinal) || k.EndsWith(".profile", StringComparison.Ordinal));
        Assert.DoesNotContain(_settings.Keys, k => Regex.IsMatch(k, "(?i)secret|key|password|token"));
        Assert.DoesNotContain(_settings.Keys, k => k.EndsWith(".s3_bucket", StringComparison.Ordinal));
    }

    [Fact]
    public void TheReaderUnderstandsSectionsStringsAndBooleans()
    {
        var settings = Read("version = 0.1\n# comment\n[a.b]\nx = \"y z\"\nflag = true\n");

        Assert.Equal(new Dictionary<string, string> { ["version"] = "0.1", ["a.b.x"] = "y z", ["a.b.flag"] = "true" }, settings);
    }

    /// <summary>The flat TOML subset samconfig.toml uses: [section] headers and key = "string" | bare value.</summary>
    private static Dictionary<string, string> Read(string toml)
    {
        var settings = new Dictionary<string, string>();
        var section = "";
        foreach (var raw in toml.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.StartsWith('['))
            {
                section = line.Trim('[', ']') + ".";
                continue;
            }
            var match = Setting().Match(line);
            Assert.True(match.Success, $"samconfig.toml line not understood: {line}");
            settings[section + match.Groups["key"].Value] = match.Groups["string"].Success ? match.Groups["string"].Value : match.Groups["bare"].Value;
        }
        return settings;
    }

    [GeneratedRegex("""^(?<key>[A-Za-z0-9_]+)\s*=\s*(?:"(?<string>[^"]*)"|(?<bare>[A-Za-z0-9_.]+))$""")]
    private static partial Regex Setting();
}
