namespace ChatDemo.Web.Configuration;

/// <summary>Where a local run keeps its files: <c>data/</c> under the content root.</summary>
public static class DataFolder
{
    public static string Resolve(IHostEnvironment environment) => Path.Combine(environment.ContentRootPath, "data");
}
