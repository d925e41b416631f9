using System.Diagnostics;
using System.Text;

namespace ChatDemo.Web.Tests.TestInfrastructure;

/// <summary>
/// Starts a Node.js server the tests use (dynalite, the OpenID provider). Its stdin stays open:
/// the scripts exit when it closes, so a test process that dies never leaves one behind. The
/// server is ready when it prints a line starting with a given word; what follows the word (a
/// port, an address) is returned. A server that cannot start fails with what it wrote.
/// </summary>
internal static class NodeServer
{
    public static async Task<(Process Process, string Ready)> StartAsync(IEnumerable<string> arguments, string readyWord, string what)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Cannot run 'node' to start {what}: install Node.js 20+ and run 'npm ci'.", e);
        }
        // Read as it comes: a server that writes much to stderr must never block on a full pipe.
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors) errors.AppendLine(e.Data);
        };
        process.BeginErrorReadLine();

        string? line = null;
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            try
            {
                line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Reported below.
            }
        }
        if (line is null || !line.StartsWith(readyWord + " ", StringComparison.Ordinal))
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            lock (errors)
                throw new InvalidOperationException($"{what} did not start (run 'npm ci' in the repository root): {line} {errors}");
        }
        return (process, line[(readyWord.Length + 1)..]);
    }
}
