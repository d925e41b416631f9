using ChatDemo.Web.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;

namespace ChatDemo.Web.Tests.Infra;

/// <summary>The function's environment in infra/template.yaml, as CloudFormation would set it and the app would read it.</summary>
internal static class FunctionEnvironment
{
    /// <summary>
    /// The variables resolved for <paramref name="values"/>' parameters (one resolving to
    /// <c>AWS::NoValue</c> is not set at all), bound and validated as the app does at start; fails
    /// the test when the app would refuse to start.
    /// </summary>
    public static ChatOptions ValidatedOptions(CloudFormationTemplate template, StackValues values)
    {
        var environment = template.Properties("ChatFunction")["Environment"]!["Variables"]!.AsObject()
            .Select(v => KeyValuePair.Create(v.Key.Replace("__", ":", StringComparison.Ordinal), values.Resolve(v.Value)))
            .Where(v => v.Value is not null)
            .ToDictionary(v => v.Key, v => (string?)v.Value!.GetValue<string>());
        var options = new ConfigurationBuilder().AddInMemoryCollection(environment).Build()
            .GetSection(ChatOptions.SectionName).Get<ChatOptions>()!;
        var host = new HostingEnvironment { EnvironmentName = environment["ASPNETCORE_ENVIRONMENT"]! };

        var result = new ChatOptionsValidator(host).Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.Equal("Production", host.EnvironmentName);
        return options;
    }
}
