using System.Reflection;
using System.Reflection.Emit;

namespace ChatDemo.Web.Tests.Unit;

/// <summary>
/// The folders of ChatDemo.Web (one namespace each) form a DAG with the chat core at the bottom:
/// adapters use the core, never the other way, and never each other except where the table says.
/// Dependencies are read from the compiled assembly: every type's base type, interfaces,
/// attributes, fields, properties, events, method signatures and locals, and every type, method
/// and field the method bodies' IL names — so a static call counts as much as a field.
/// </summary>
public sealed class NamespaceDependencyTests
{
    private const string Root = "ChatDemo.Web";

    /// <summary>The composition root (Program.cs and Hosting/): the only code that may use everything.</summary>
    private static readonly string[] CompositionRoot = ["", "Hosting"];

    /// <summary>Each area of the app and the areas it may use. A new folder has to be added here.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Configuration"] = [],
        ["Telemetry"] = [],
        ["Chat"] = ["Configuration", "Telemetry"],
        ["Http"] = ["Chat", "Configuration"],
        ["Accounts"] = ["Chat", "Configuration"],
        ["Sessions"] = ["Accounts", "Chat", "Configuration", "Http"],
        ["Rooms"] = ["Chat", "Configuration", "Http", "Sessions"],
        ["Storage.Sqlite"] = ["Chat", "Configuration", "Rooms"],
        ["Storage.DynamoDb"] = ["Chat", "Configuration", "Rooms"],
        ["Lambda"] = ["Telemetry"],
        ["WebSockets"] = ["Chat", "Configuration", "Http", "Sessions", "Telemetry"],
        ["ApiGatewayWebSockets"] = ["Chat", "Configuration", "Http", "Sessions", "Lambda"],
        ["Aws"] = ["Chat", "Configuration", "Telemetry"],
        ["Delivery"] = ["Chat", "Http", "Lambda", "Telemetry"],
        ["Health"] = ["Chat", "Http", "Rooms"],
        ["History"] = ["Chat", "Http"],
        ["Presence"] = ["Chat", "Http"],
        ["ClientConfig"] = ["Configuration", "Http"],
        ["Page"] = ["Accounts", "Configuration"],
        ["Observability.EmbeddedMetrics"] = ["Telemetry"],
        ["Observability"] = ["Telemetry", "Observability.EmbeddedMetrics", "Lambda"],
    };

    private static readonly Assembly App = typeof(Chat.ChatService).Assembly;

    [Fact]
    public void EveryNamespaceOfTheAppHasItsPlaceInTheTable()
    {
        var unknown = Dependencies(App).Keys
            .Where(area => !Allowed.ContainsKey(area) && !CompositionRoot.Contains(area))
            .ToList();

        Assert.True(unknown.Count == 0, $"Namespaces missing from the dependency table: {string.Join(", ", unknown)}.");
    }

    [Fact]
    public void NoNamespaceUsesOneItMustNot()
    {
        var violations = Dependencies(App)
            .Where(area => Allowed.ContainsKey(area.Key))
            .SelectMany(area => area.Value
                .Where(used => !Allowed[area.Key].Contains(used.Key))
                .Select(used => $"{area.Key} -> {used.Key} ({string.Join("; ", used.Value.Take(3))})"))
            .ToList();

        Assert.True(violations.Count == 0, "Dependencies the table does not allow:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void TheNamespacesFormNoCycle()
    {
        var graph = Dependencies(App).ToDictionary(area => area.Key, area => area.Value.Keys.ToArray());

        Assert.Null(FindCycle(graph));
    }

    [Fact]
    public void TheAllowedTableItselfHasNoCycle()
    {
        Assert.Null(FindCycle(Allowed));
    }

    [Fact]
    public void TheCycleCheckFindsACycle()
    {
        var cycle = FindCycle(new Dictionary<string, string[]> { ["A"] = ["B"], ["B"] = ["C"], ["C"] = ["A"], ["D"] = [] });

        Assert.Equal("A -> B -> C -> A", cycle);
    }

    [Fact]
    public void TheReaderSeesAStaticCallInAMethodBody()
    {
        // WebSockets calls ChatRules.IsValidRoom (Chat) only from method bodies, as a static call.
        var webSockets = Dependencies(App)["WebSockets"];

        Assert.Contains("Chat", webSockets.Keys);
        Assert.Contains("Sessions", webSockets.Keys);
    }

    /// <summary>A cycle as "A -> B -> A", or null.</summary>
    private static string? FindCycle(IReadOnlyDictionary<string, string[]> graph)
    {
        var state = new Dictionary<string, int>(); // 1: on the path, 2: done
        var path = new List<string>();
        foreach (var start in graph.Keys.Order(StringComparer.Ordinal))
        {
            var cycle = Visit(start);
            if (cycle is not null) return cycle;
        }
        return null;

        string? Visit(string node)
        {
            if (state.GetValueOrDefault(node) == 2) return null;
            if (state.GetValueOrDefault(node) == 1)
                return string.Join(" -> ", path.Skip(path.IndexOf(node)).Append(node));
            state[node] = 1;
            path.Add(node);
            foreach (var next in graph.GetValueOrDefault(node) ?? [])
            {
                var cycle = Visit(next);
                if (cycle is not null) return cycle;
            }
            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }
    }

    /// <summary>Area (namespace below <see cref="Root"/>) → the other areas it uses → examples of why.</summary>
    private static Dictionary<string, Dictionary<string, List<string>>> Dependencies(Assembly assembly)
    {
        var result = new Dictionary<string, Dictionary<string, List<string>>>();
        foreach (var type in assembly.GetTypes())
        {
            var from = Area(type);
            if (from is null) continue;
            var uses = result.TryGetValue(from, out var existing) ? existing : result[from] = [];
            foreach (var used in UsedTypes(type).SelectMany(Flatten).Distinct())
            {
                var to = Area(used);
                if (to is null || to == from || used.Assembly != assembly) continue;
                (uses.TryGetValue(to, out var why) ? why : uses[to] = []).Add($"{type.Name} uses {used.Name}");
            }
        }
        return result;
    }

    /// <summary>
    /// The namespace below ChatDemo.Web ("" for the global one: Program); null for other code and
    /// for the compiler's own global helpers (<c>&lt;PrivateImplementationDetails&gt;</c>, collection-expression lists).
    /// </summary>
    private static string? Area(Type type)
    {
        var ns = type.Namespace;
        if (ns is null) return type.Assembly == App && !type.Name.StartsWith('<') ? "" : null;
        if (ns == Root) return "";
        return ns.StartsWith(Root + ".", StringComparison.Ordinal) ? ns[(Root.Length + 1)..] : null;
    }

    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance |
                                          BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static IEnumerable<Type> UsedTypes(Type type)
    {
        if (type.BaseType is not null) yield return type.BaseType;
        foreach (var i in type.GetInterfaces()) yield return i;
        foreach (var a in type.CustomAttributes) yield return a.AttributeType;
        foreach (var f in type.GetFields(Declared)) yield return f.FieldType;
        foreach (var p in type.GetProperties(Declared)) yield return p.PropertyType;
        foreach (var e in type.GetEvents(Declared))
            if (e.EventHandlerType is not null) yield return e.EventHandlerType;
        foreach (var m in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (m is MethodInfo method) yield return method.ReturnType;
            foreach (var p in m.GetParameters()) yield return p.ParameterType;
            foreach (var used in BodyTypes(m)) yield return used;
        }
    }

    private static IEnumerable<Type> BodyTypes(MethodBase method)
    {
        var body = method.GetMethodBody();
        if (body is null) return [];
        var types = body.LocalVariables.Select(l => l.LocalType).ToList();
        var il = body.GetILAsByteArray() ?? [];
        var typeArgs = method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var at = 0; at < il.Length;)
        {
            var code = il[at] == 0xFE ? OpCodesByValue[(short)(0xFE00 | il[at + 1])] : OpCodesByValue[il[at]];
            at += code.Size;
            if (code.OperandType is OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType)
            {
                var token = BitConverter.ToInt32(il, at);
                try
                {
                    switch (method.Module.ResolveMember(token, typeArgs, methodArgs))
                    {
                        case Type t:
                            types.Add(t);
                            break;
                        case MethodInfo m:
                            types.Add(m.DeclaringType!);
                            types.AddRange(m.GetGenericArguments());
                            break;
                        case MemberInfo member when member.DeclaringType is not null:
                            types.Add(member.DeclaringType);
                            break;
                    }
                }
                catch (ArgumentException)
                {
                    // A token the generic context cannot resolve; its open form names nothing of ours.
                }
            }
            at += OperandSize(code.OperandType, il, at);
        }
        return types;
    }

    private static int OperandSize(OperandType operand, byte[] il, int at) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
        _ => 4,
    };

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(code => code.Value);

    /// <summary>The type itself and every type it is built from: element types, generic arguments.</summary>
    private static IEnumerable<Type> Flatten(Type type)
    {
        if (type.IsGenericParameter) yield break;
        if (type.HasElementType)
        {
            foreach (var inner in Flatten(type.GetElementType()!)) yield return inner;
            yield break;
        }
        yield return type;
        if (!type.IsGenericType) yield break;
        foreach (var argument in type.GetGenericArguments())
            foreach (var inner in Flatten(argument)) yield return inner;
    }
}
