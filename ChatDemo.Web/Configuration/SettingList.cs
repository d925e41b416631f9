namespace ChatDemo.Web.Configuration;

/// <summary>Reads a list setting, which operators write as one environment variable.</summary>
public static class SettingList
{
    public static IReadOnlyList<string> Parse(string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? []
            : value.Split([',', ' ', ';', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
