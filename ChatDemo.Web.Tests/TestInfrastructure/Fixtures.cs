namespace ChatDemo.Web.Tests.TestInfrastructure;

/// <summary>
/// Test data recorded or published outside this project (<c>ChatDemo.Web.Tests/Fixtures/</c>, with
/// a SOURCES.md for each folder), copied beside the test assembly by the project file.
/// </summary>
public static class Fixtures
{
    public static string Folder(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
        return Directory.Exists(folder)
            ? folder
            : throw new InvalidOperationException($"The test data folder {folder} is missing: ChatDemo.Web.Tests.csproj copies Fixtures/ beside the test assembly.");
    }
}
