using System.Diagnostics;

namespace LambdaColdStart;

/// <summary>A published app (ChatDemo.Web, or the EmptyApp baseline), started as its own process with a fresh data folder each time.</summary>
public sealed record PublishedApp(string Folder, string Name)
{
    /// <summary>The app published in <paramref name="folder"/>: the baseline when it holds EmptyApp.dll, else ChatDemo.Web.</summary>
    public static PublishedApp? Find(string folder)
    {
        foreach (var name in new[] { "EmptyApp", "ChatDemo.Web" })
            if (File.Exists(Path.Combine(folder, name + ".dll"))) return new PublishedApp(Path.GetFullPath(folder), name);
        return null;
    }

    public Process Start(IDictionary<string, string> environment)
    {
        var apphost = Path.Combine(Folder, Name);
        var start = File.Exists(apphost)
            ? new ProcessStartInfo(apphost)
            : new ProcessStartInfo("dotnet", Path.Combine(Folder, Name + ".dll"));
        start.WorkingDirectory = Folder;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var data = Directory.CreateTempSubdirectory("chatdemo-bench-").FullName;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Chat__Sqlite__Path"] = Path.Combine(data, "chat.db");
        start.Environment["Chat__Sessions__SigningKey"] = "bench-signing-key-0123456789-abcdefghijklmnop";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static async Task StopAsync(Process process)
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }
}
