namespace ChatDemo.Web.Tests.Reliability;

/// <summary>
/// The load-heavy reliability tests run one at a time, after the rest of the suite: they measure
/// latency and memory, which other tests running alongside on a 2-core machine would distort.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReliabilityCollection
{
    public const string Name = "Reliability (serial)";
}
