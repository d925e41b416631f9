namespace ChatDemo.Web.Observability.EmbeddedMetrics;

/// <summary>
/// CloudWatch's unit names (the only ones a metric definition may carry) and the mapping from
/// the UCUM-style units .NET instruments are created with.
/// </summary>
public static class EmfUnits
{
    public const string Count = "Count";
    public const string Milliseconds = "Milliseconds";
    public const string None = "None";

    /// <summary>Every unit CloudWatch accepts.</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        "Seconds", "Microseconds", "Milliseconds",
        "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes",
        "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits",
        "Percent", "Count",
        "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
        "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second",
        "Count/Second", "None",
    };

    /// <summary>
    /// <c>ms</c>, <c>s</c>, <c>us</c>, <c>By</c>, <c>bit</c>, <c>%</c>; a count's annotation
    /// (<c>{message}</c>) or <c>1</c> is a Count; anything else is None rather than a unit
    /// CloudWatch would refuse.
    /// </summary>
    public static string FromInstrumentUnit(string? unit) => unit switch
    {
        "ms" => Milliseconds,
        "s" => "Seconds",
        "us" => "Microseconds",
        "By" => "Bytes",
        "bit" => "Bits",
        "%" => "Percent",
        "1" => Count,
        ['{', .., '}'] => Count,
        _ => None,
    };
}
