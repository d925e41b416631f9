namespace ChatDemo.Web.Configuration;

/// <summary>Reads <c>Chat__AllowedOrigins</c>, which operators write as one environment variable.</summary>
public static class AllowedOrigins
{
    public static IReadOnlyList<string> Parse(string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? []
            : value.Split([',', ' ', ';', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(o => o.TrimEnd('/'))
                .ToArray();
}
