using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Net;
using System.Net.Sockets;
using Microsoft.Diagnostics.NETCore.Client;

namespace ChatDemo.Bench.Servers;

/// <summary>
/// A server under test in its own process, so that its CPU time and memory are read from /proc
/// apart from the load generator's. Only ever bound to 127.0.0.1.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();
    private readonly Action? _cleanup;

    private ServerProcess(Process process, int port, Action? cleanup)
    {
        _process = process;
        Port = port;
        _cleanup = cleanup;
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }

    public int Pid => _process.Id;

    public Uri BaseUri => new($"http://127.0.0.1:{Port}");

    /// <summary>Starts <paramref name="fileName"/> and waits until <c>GET /health</c> answers 200.</summary>
    public static async Task<ServerProcess> StartAsync(string fileName, IEnumerable<string> args, IDictionary<string, string> env, int port, string workingDirectory, Action? cleanup, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (key, value) in env) info.Environment[key] = value;
        var server = new ServerProcess(Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}"), port, cleanup);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (server._process.HasExited)
                throw new InvalidOperationException($"server exited with {server._process.ExitCode}:\n{server.Output}");
            try
            {
                if ((await http.GetAsync(new Uri(server.BaseUri, "/health"), cancellationToken)).IsSuccessStatusCode) return server;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
            await Task.Delay(200, cancellationToken);
        }
        await server.DisposeAsync();
        throw new TimeoutException($"server did not answer /health within 60 s:\n{server.Output}");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public string Output
    {
        get
        {
            lock (_lastLines) return string.Join('\n', _lastLines);
        }
    }

    /// <summary>User + system CPU time of the server process so far.</summary>
    public TimeSpan CpuTime()
    {
        // /proc/pid/stat: the command may contain spaces, so fields are counted after its ')'.
        var stat = File.ReadAllText($"/proc/{Pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) +
                    long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond);
    }

    /// <summary>Resident set size in bytes (VmRSS).</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        throw new InvalidOperationException("no VmRSS in /proc status");
    }

    /// <summary>
    /// Has the server's runtime run a full blocking GC (as dotnet-gcdump does: an EventPipe session
    /// with the GCHeapCollect keyword), so that memory readings are not inflated by garbage.
    /// </summary>
    public async Task InduceFullGcAsync()
    {
        const long GcHeapCollectKeyword = 0x800000;
        var client = new DiagnosticsClient(Pid);
        using var session = client.StartEventPipeSession(
            new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, GcHeapCollectKeyword),
            requestRundown: false);
        var drain = session.EventStream.CopyToAsync(Stream.Null);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await session.StopAsync(CancellationToken.None);
        await drain;
    }

    private void Remember(string? line)
    {
        if (line is null) return;
        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > 40) _lastLines.Dequeue();
        }
    }

    // USER_HZ: 100 on every Linux the bench targets (sysconf(_SC_CLK_TCK)).
    private const int ClockTicksPerSecond = 100;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _cleanup?.Invoke();
    }
}
