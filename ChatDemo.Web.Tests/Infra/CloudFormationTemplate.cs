using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ChatDemo.Web.Tests.Infra;

/// <summary>
/// A CloudFormation / SAM template read with YamlDotNet into JSON nodes, short-form tags
/// (<c>!Ref</c>, <c>!GetAtt</c>, <c>!Sub</c>, …) turned into their long form (<c>{"Ref": …}</c>,
/// <c>{"Fn::GetAtt": [resource, attribute]}</c>, …) as CloudFormation itself does. Every scalar
/// stays a string. An unknown tag is an error, as it is for CloudFormation.
/// </summary>
internal sealed partial class CloudFormationTemplate
{
    /// <summary>The pseudo parameters CloudFormation defines (AWS::…).</summary>
    public static readonly IReadOnlySet<string> PseudoParameters = new HashSet<string>
    {
        "AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition",
        "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix",
    };

    // Short forms of the intrinsic functions and condition functions (CloudFormation user guide,
    // "Intrinsic function reference").
    private static readonly IReadOnlySet<string> FunctionTags = new HashSet<string>
    {
        "Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs", "ImportValue", "Join", "Select", "Split",
        "Sub", "Transform", "And", "Equals", "If", "Not", "Or", "ToJsonString", "Length",
    };

    private CloudFormationTemplate(JsonObject root) => Root = root;

    public JsonObject Root { get; }

    public JsonObject Resources => Root["Resources"]!.AsObject();

    public JsonObject Parameters => Root["Parameters"]?.AsObject() ?? [];

    public JsonObject Outputs => Root["Outputs"]?.AsObject() ?? [];

    public static CloudFormationTemplate Load(string path) => Parse(File.ReadAllText(path));

    public static CloudFormationTemplate Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = Convert(stream.Documents.Single().RootNode) as JsonObject
            ?? throw new InvalidDataException("The template is not a mapping.");
        return new CloudFormationTemplate(root);
    }

    public JsonObject Resource(string logicalId) =>
        Resources[logicalId]?.AsObject() ?? throw new Xunit.Sdk.XunitException($"The template has no resource '{logicalId}'.");

    public JsonObject Properties(string logicalId) => Resource(logicalId)["Properties"]!.AsObject();

    public IEnumerable<(string LogicalId, JsonObject Resource)> ResourcesOfType(string type) =>
        Resources.Where(r => (string?)r.Value!["Type"] == type).Select(r => (r.Key, r.Value!.AsObject()));

    /// <summary>
    /// Every name a <c>Ref</c>, <c>Fn::GetAtt</c>, <c>Fn::Sub</c> variable or <c>DependsOn</c>
    /// uses that is not a resource, a parameter or a pseudo parameter, with where it was found.
    /// </summary>
    public IReadOnlyList<string> UnresolvedReferences()
    {
        var known = new HashSet<string>(Resources.Select(r => r.Key).Concat(Parameters.Select(p => p.Key)));
        known.UnionWith(PseudoParameters);
        var problems = new List<string>();

        void Check(string name, string where)
        {
            if (!known.Contains(name)) problems.Add($"{where}: '{name}' is no resource, parameter or pseudo parameter");
        }

        bool Visit(JsonObject obj, string where)
        {
            if (obj.Count != 1) return true;
            switch (obj.First().Key)
            {
                case "Ref":
                    Check((string)obj["Ref"]!, where);
                    return false;
                case "Fn::GetAtt":
                    var getAtt = obj["Fn::GetAtt"]!;
                    Check(getAtt is JsonArray parts ? (string)parts[0]! : ((string)getAtt!).Split('.')[0], where);
                    return false;
                case "Fn::Sub":
                    var sub = obj["Fn::Sub"]!;
                    var (text, variables) = sub is JsonArray form
                        ? ((string)form[0]!, form[1]!.AsObject())
                        : ((string)sub!, new JsonObject());
                    var locals = new HashSet<string>(variables.Select(v => v.Key));
                    foreach (var name in SubVariables(text).Where(n => !locals.Contains(n))) Check(name, where);
                    return true; // on into the variables' values
                default:
                    return true;
            }
        }

        foreach (var (logicalId, resource) in Resources)
        {
            var dependsOn = resource!["DependsOn"];
            var dependencies = dependsOn switch
            {
                JsonArray list => list.Select(d => (string)d!),
                JsonValue single => [(string)single!],
                _ => [],
            };
            foreach (var dependency in dependencies) Check(dependency, $"Resources.{logicalId}.DependsOn");
            Walk(resource["Properties"], $"Resources.{logicalId}.Properties", Visit);
        }
        Walk(Root["Outputs"], "Outputs", Visit);
        Walk(Root["Conditions"], "Conditions", Visit);
        Walk(Root["Rules"], "Rules", Visit);
        return problems;
    }

    /// <summary>
    /// Every condition name a resource's or output's <c>Condition</c>, an <c>Fn::If</c> or a
    /// <c>{"Condition": …}</c> uses that the template's <c>Conditions</c> does not declare.
    /// </summary>
    public IReadOnlyList<string> UnknownConditions()
    {
        var declared = Root["Conditions"]?.AsObject().Select(c => c.Key).ToHashSet() ?? [];
        var problems = new List<string>();

        bool Visit(JsonObject obj, string where)
        {
            var name = obj.Count != 1 ? null
                : obj["Fn::If"] is JsonArray branches ? (string?)branches[0]
                : obj["Condition"] is JsonValue condition ? (string?)condition
                : null;
            if (name is not null && !declared.Contains(name)) problems.Add($"{where}: unknown condition '{name}'");
            return true;
        }

        foreach (var section in new[] { "Resources", "Outputs" })
        {
            foreach (var (logicalId, item) in Root[section]?.AsObject() ?? [])
            {
                if (item!["Condition"] is JsonValue condition && !declared.Contains((string)condition!))
                    problems.Add($"{section}.{logicalId}: unknown condition '{condition}'");
                Walk(item["Properties"] ?? item["Value"], $"{section}.{logicalId}", Visit);
            }
        }
        Walk(Root["Conditions"], "Conditions", Visit);
        return problems;
    }

    /// <summary>
    /// Calls <paramref name="visit"/> on every object below <paramref name="node"/>, depth first, with
    /// its path; it descends into an object only when <paramref name="visit"/> answers true.
    /// </summary>
    private static void Walk(JsonNode? node, string where, Func<JsonObject, string, bool> visit)
    {
        switch (node)
        {
            case JsonObject obj:
                if (!visit(obj, where)) return;
                foreach (var (key, value) in obj) Walk(value, $"{where}.{key}", visit);
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++) Walk(array[i], $"{where}[{i}]", visit);
                break;
        }
    }

    /// <summary>The resource or parameter names a <c>Fn::Sub</c> string refers to (<c>${Name}</c>, <c>${Name.Attribute}</c>; not <c>${!Literal}</c>).</summary>
    public static IEnumerable<string> SubVariables(string text) =>
        SubVariable().Matches(text).Select(m => m.Groups["name"].Value);

    [GeneratedRegex(@"\$\{(?!!)(?<name>[A-Za-z0-9:]+)(\.[A-Za-z0-9.]+)?\}")]
    private static partial Regex SubVariable();

    private static JsonNode? Convert(YamlNode node)
    {
        JsonNode? value = node switch
        {
            YamlScalarNode scalar => JsonValue.Create(scalar.Value ?? ""),
            YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(Convert).ToArray()),
            YamlMappingNode mapping => new JsonObject(mapping.Children.Select(pair =>
                KeyValuePair.Create(((YamlScalarNode)pair.Key).Value!, Convert(pair.Value)))),
            _ => throw new InvalidDataException($"Unexpected YAML node {node.NodeType} at {node.Start}."),
        };

        if (node.Tag.IsEmpty || node.Tag.IsNonSpecific) return value;
        var tag = node.Tag.Value.TrimStart('!');
        if (tag == "Ref" || tag == "Condition") return new JsonObject { [tag] = value };
        if (!FunctionTags.Contains(tag)) throw new InvalidDataException($"Unknown tag !{tag} at {node.Start}.");
        if (tag == "GetAtt" && value is JsonValue dotted)
        {
            // !GetAtt Resource.Attribute is the long form's [Resource, Attribute]; the attribute may hold dots.
            var text = (string)dotted!;
            var dot = text.IndexOf('.', StringComparison.Ordinal);
            if (dot < 1) throw new InvalidDataException($"!GetAtt '{text}' at {node.Start} is not Resource.Attribute.");
            value = new JsonArray(text[..dot], text[(dot + 1)..]);
        }
        return new JsonObject { ["Fn::" + tag] = value };
    }
}
