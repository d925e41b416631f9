namespace ChatDemo.Web.Configuration;

/// <summary>Reads <c>Chat__AllowedOrigins</c>, which operators write as one environment variable.</summary>
public static class AllowedOrigins
{
    public static IReadOnlyList<string> Parse(string? value) =>
        SettingList.Parse(value).Select(o => o.TrimEnd('/')).ToArray();
}
