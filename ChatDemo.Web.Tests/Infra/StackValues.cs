using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ChatDemo.Web.Tests.Infra;

/// <summary>
/// What CloudFormation would put in place of the template's intrinsics (<c>Ref</c>, <c>Fn::GetAtt</c>,
/// <c>Fn::Sub</c>, <c>Fn::Join</c>, <c>Fn::If</c>) and how its conditions and rules come out, for a
/// stack named <c>chatdemo</c> in us-east-1 deployed with the given parameters (the rest at their
/// defaults). Resources get made-up physical ids; <c>AWS::NoValue</c> resolves to null.
/// </summary>
internal sealed partial class StackValues(CloudFormationTemplate template, IReadOnlyDictionary<string, string>? parameters = null)
{
    public const string WebSocketApiId = "a1b2c3d4e5";
    public const string HttpApiId = "f6g7h8i9j0";
    public const string DistributionDomain = "d111111abcdef8.cloudfront.net";

    private readonly IReadOnlyDictionary<string, string> _parameters = parameters ?? new Dictionary<string, string>();

    public string Parameter(string name)
    {
        var declared = template.Parameters[name] ?? throw new InvalidDataException($"No parameter {name}.");
        return _parameters.TryGetValue(name, out var value) ? value
            : (string?)declared["Default"] ?? throw new InvalidDataException($"Parameter {name} has no default and was not given.");
    }

    public bool Condition(string name) =>
        IsTrue(template.Root["Conditions"]?[name] ?? throw new InvalidDataException($"No condition {name}."));

    /// <summary>Whether every assertion of the template's rule <paramref name="name"/> holds (a rule whose RuleCondition is false always holds).</summary>
    public bool RuleHolds(string name)
    {
        var rule = template.Root["Rules"]![name]!;
        return (rule["RuleCondition"] is { } applies && !IsTrue(applies))
               || rule["Assertions"]!.AsArray().All(a => IsTrue(a!["Assert"]));
    }

    /// <summary>Whether a resource or output with a <c>Condition</c> would exist.</summary>
    public bool Exists(JsonObject resourceOrOutput) =>
        resourceOrOutput["Condition"] is not JsonValue condition || Condition((string)condition!);

    public string String(JsonNode? node) =>
        Resolve(node) is JsonValue value ? (string)value! : throw new InvalidDataException($"{node?.ToJsonString()} is not a string.");

    public JsonNode? Resolve(JsonNode? node) => node switch
    {
        JsonValue value => JsonValue.Create((string)value!),
        JsonArray array => new JsonArray(array.Select(Resolve).Where(n => n is not null).ToArray()),
        JsonObject obj when obj.Count == 1 && obj.ContainsKey("Ref") => Ref((string)obj["Ref"]!),
        JsonObject obj when obj.Count == 1 && obj.ContainsKey("Fn::GetAtt") => GetAtt((string)obj["Fn::GetAtt"]![0]!, (string)obj["Fn::GetAtt"]![1]!),
        JsonObject obj when obj.Count == 1 && obj.ContainsKey("Fn::Sub") => Sub(obj["Fn::Sub"]!),
        JsonObject obj when obj.Count == 1 && obj.ContainsKey("Fn::Join") => Join(obj["Fn::Join"]!.AsArray()),
        JsonObject obj when obj.Count == 1 && obj.ContainsKey("Fn::If") =>
            Condition((string)obj["Fn::If"]![0]!) ? Resolve(obj["Fn::If"]![1]) : Resolve(obj["Fn::If"]![2]),
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Resolve(p.Value))).Where(p => p.Value is not null)),
        _ => null,
    };

    private JsonNode? Ref(string name) => name switch
    {
        "AWS::Region" => "us-east-1",
        "AWS::URLSuffix" => "amazonaws.com",
        "AWS::Partition" => "aws",
        "AWS::AccountId" => "123456789012",
        "AWS::StackName" => "chatdemo",
        "AWS::NoValue" => null,
        "WebSocketApi" => WebSocketApiId,
        "HttpApi" => HttpApiId,
        _ when template.Parameters.ContainsKey(name) && (string?)template.Parameters[name]!["Type"] == "CommaDelimitedList" =>
            new JsonArray(Parameter(name).Split(',').Select(v => (JsonNode)JsonValue.Create(v.Trim())!).ToArray()),
        _ when template.Parameters.ContainsKey(name) => Parameter(name),
        _ when template.Resources.ContainsKey(name) => $"chatdemo-{name}-1A2B3C4D5E6F",
        _ => throw new InvalidDataException($"Unknown name {name}."),
    };

    private string GetAtt(string resource, string attribute) => (string?)template.Resource(resource)["Type"] switch
    {
        "Custom::GeneratedSecret" => new string('k', 64),
        "AWS::CloudFront::Distribution" when attribute == "DomainName" => DistributionDomain,
        _ when attribute == "Arn" => $"arn:aws:test:us-east-1:123456789012:{resource}",
        _ => $"{resource}-{attribute}",
    };

    private string Sub(JsonNode sub)
    {
        var (text, variables) = sub is JsonArray form ? ((string)form[0]!, form[1]!.AsObject()) : ((string)sub!, new JsonObject());
        return SubVariable().Replace(text, m =>
        {
            var name = m.Groups["name"].Value;
            if (variables.ContainsKey(name)) return String(variables[name]);
            return m.Groups["attribute"].Success ? GetAtt(name, m.Groups["attribute"].Value) : String(Ref(name));
        });
    }

    private string Join(JsonArray join)
    {
        var delimiter = (string)join[0]!;
        var parts = Resolve(join[1]) as JsonArray ?? throw new InvalidDataException("Fn::Join needs a list.");
        return string.Join(delimiter, parts.Select(p => p is JsonArray inner ? string.Join(",", inner.Select(i => (string)i!)) : (string)p!));
    }

    private bool IsTrue(JsonNode? condition) => condition switch
    {
        JsonObject obj when obj.ContainsKey("Fn::Equals") => String(obj["Fn::Equals"]![0]) == String(obj["Fn::Equals"]![1]),
        JsonObject obj when obj.ContainsKey("Fn::Not") => !IsTrue(obj["Fn::Not"]![0]),
        JsonObject obj when obj.ContainsKey("Fn::And") => obj["Fn::And"]!.AsArray().All(IsTrue),
        JsonObject obj when obj.ContainsKey("Fn::Or") => obj["Fn::Or"]!.AsArray().Any(IsTrue),
        JsonObject obj when obj.ContainsKey("Condition") => Condition((string)obj["Condition"]!),
        _ => throw new InvalidDataException($"Not a condition: {condition?.ToJsonString()}"),
    };

    [GeneratedRegex(@"\$\{(?!!)(?<name>[A-Za-z0-9:]+)(\.(?<attribute>[A-Za-z0-9.]+))?\}")]
    private static partial Regex SubVariable();
}
