using System.Diagnostics;

namespace ChatDemo.Web.Tests.Infra;

/// <summary>Files of the repository the infrastructure tests read, and the Node tools they run.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string TemplatePath => Path.Combine(Root, "infra", "template.yaml");

    public static string WorkflowPath => Path.Combine(Root, "statemachine", "message-distribution.asl.json");

    public static string WorkflowDriverPath => Path.Combine(Root, "ChatDemo.Web.Tests", "Infra", "run-workflow.mjs");

    public static string MakefilePath => Path.Combine(Root, "infra", "Makefile");

    /// <summary>
    /// Runs <c>node</c> with <paramref name="arguments"/> in the repository root. Fails with a clear
    /// message when node or the npm packages (package.json) are missing: these tests never pass
    /// without having run.
    /// </summary>
    public static Task<ProcessResult> RunNodeAsync(IEnumerable<string> arguments, TimeSpan timeout)
    {
        if (!Directory.Exists(Path.Combine(Root, "node_modules", "aws-local-stepfunctions"))
            || !Directory.Exists(Path.Combine(Root, "node_modules", "asl-validator"))
            || !Directory.Exists(Path.Combine(Root, "node_modules", "dynalite")))
        {
            Assert.Fail($"The Node test tools are not installed: run 'npm ci --no-audit --no-fund' in {Root} (./test.sh does).");
        }
        return RunAsync("node", arguments, Root, timeout, "Node.js (20 or later) is required on PATH for the workflow and ASL tests");
    }

    /// <summary>
    /// Runs <paramref name="program"/> in <paramref name="workingDirectory"/> with extra
    /// <paramref name="environment"/> variables and waits for it; kills it and fails the test past
    /// <paramref name="timeout"/>, and fails with <paramref name="whenMissing"/> when it cannot start.
    /// </summary>
    public static async Task<ProcessResult> RunAsync(
        string program, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout, string whenMissing,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            Assert.Fail($"{whenMissing}: {error.Message}");
            throw;
        }

        using (process)
        using (var cancel = new CancellationTokenSource(timeout))
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancel.Token);
            var stderr = process.StandardError.ReadToEndAsync(cancel.Token);
            try
            {
                await process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{program} {string.Join(' ', start.ArgumentList)} did not finish within {timeout}.");
            }
            return new ProcessResult(process.ExitCode, await stdout, await stderr);
        }
    }

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ChatDemo.sln"))) return folder.FullName;
        }
        throw new InvalidOperationException($"No ChatDemo.sln above {AppContext.BaseDirectory}.");
    }
}

internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {StandardOutput}\nstderr: {StandardError}";
}
