namespace ChatDemo.Web.Tests.Lambda;

/// <summary>
/// Lambda-mode tests run one at a time: the adapter sets <c>_X_AMZN_TRACE_ID</c>, which is
/// process-wide, as the real runtime does.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LambdaCollection
{
    public const string Name = "Lambda adapter";
}
