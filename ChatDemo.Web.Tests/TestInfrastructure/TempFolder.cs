namespace ChatDemo.Web.Tests.TestInfrastructure;

/// <summary>
/// A fresh folder under the system temp folder for one test's files (a SQLite database, a
/// generated config); deleted with everything in it on dispose.
/// </summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder(string prefix = "")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "chatdemo-tests", prefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>The path of <paramref name="name"/> inside this folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Already gone, or a file still held open (SQLite's connection pool keeps one briefly):
            // the system's temp cleaning removes it later, and no test reuses the folder's random name.
        }
    }
}
