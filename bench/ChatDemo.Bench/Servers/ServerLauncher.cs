using ChatDemo.Bench.Clients;

namespace ChatDemo.Bench.Servers;

/// <summary>Starts each of the three servers in its own process and builds the matching client.</summary>
public static class ServerLauncher
{
    public const string Room = "bench";

    public static readonly string[] All = ["raw", "signalr", "chatdemo"];

    /// <summary>
    /// ChatDemo as users run it (SQLite store on, in a temporary file), except that the per-connection
    /// send rate limit is raised: the bench's ten senders each send up to a hundred messages a second,
    /// far over the protocol's default of 10 a second. A fixed signing key, Development environment.
    /// </summary>
    /// <summary>Another build of ChatDemo.Web to measure instead (<c>--chatdemo-dll</c>), e.g. the one before an optimisation.</summary>
    public static string? ChatDemoDllOverride { get; set; }

    /// <summary>
    /// A second build of ChatDemo.Web measured in the same run as server <c>chatdemo-baseline</c>
    /// (<c>--baseline-dll</c>): before and after an optimisation side by side, under the same load.
    /// </summary>
    public static string? BaselineDll { get; set; }

    /// <summary>Extra settings for ChatDemo (<c>--chatdemo-setting Chat__Telemetry__Enabled=false</c>), e.g. to compare a feature on and off.</summary>
    public static Dictionary<string, string> ChatDemoSettings { get; } = new(StringComparer.Ordinal);

    public static async Task<(ServerProcess Server, IBenchTarget Target)> StartAsync(string name, CancellationToken cancellationToken)
    {
        var port = ServerProcess.FreePort();
        var env = new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" };
        switch (name)
        {
            case "chatdemo" or "chatdemo-baseline":
            {
                var dll = name == "chatdemo-baseline"
                    ? Path.GetFullPath(BaselineDll ?? throw new ArgumentException("chatdemo-baseline needs --baseline-dll PATH"))
                    : ChatDemoDllOverride is { } other ? Path.GetFullPath(other) : ChatDemoWebDll();
                var data = Directory.CreateTempSubdirectory("chatdemo-bench-");
                env["ASPNETCORE_ENVIRONMENT"] = "Development";
                env["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
                env["Chat__Sqlite__Path"] = Path.Combine(data.FullName, "chatdemo.db");
                env["Chat__Sessions__SigningKey"] = "bench-only-signing-key-0123456789abcdef";
                env["Chat__Limits__SendBurst"] = "100000";
                env["Chat__Limits__SendPerSecond"] = "100000";
                env["Chat__Limits__MaxConnections"] = "20000";
                // Every bench client comes from 127.0.0.1: one address, far past a client's REST limits.
                env["Chat__RateLimits__SessionsBurst"] = "100000";
                env["Chat__RateLimits__SessionsPerMinute"] = "100000";
                env["Chat__RateLimits__ApiBurst"] = "100000";
                env["Chat__RateLimits__ApiPerMinute"] = "100000";
                foreach (var (key, value) in ChatDemoSettings) env[key] = value;
                var server = await ServerProcess.StartAsync("dotnet", [dll], env, port, Path.GetDirectoryName(dll)!,
                    () => data.Delete(recursive: true), cancellationToken);
                return (server, new ChatDemoTarget(server.BaseUri, Room, name));
            }
            case "raw" or "raw-sized" or "signalr":
            {
                var kind = name == "signalr" ? "signalr" : "raw";
                var (fileName, args) = SelfCommand(["server", kind, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                var server = await ServerProcess.StartAsync(fileName, args, env, port, AppContext.BaseDirectory, null, cancellationToken);
                return (server, kind == "raw" ? new RawTarget(server.BaseUri, sized: name == "raw-sized") : new SignalRTarget(server.BaseUri, Room));
            }
            default:
                throw new ArgumentException($"unknown server {name}", nameof(name));
        }
    }

    /// <summary>This same program, whether started through its apphost or as <c>dotnet ChatDemo.Bench.dll</c>.</summary>
    private static (string FileName, string[] Args) SelfCommand(string[] args)
    {
        var process = Environment.ProcessPath!;
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? (process, [typeof(ServerLauncher).Assembly.Location, .. args])
            : (process, args);
    }

    /// <summary>ChatDemo.Web built in the bench's own configuration (the project reference builds it first).</summary>
    private static string ChatDemoWebDll()
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var dll = Path.Combine(dir.FullName, "ChatDemo.Web", "bin", configuration, "net10.0", "ChatDemo.Web.dll");
            if (File.Exists(dll)) return dll;
        }
        throw new FileNotFoundException($"ChatDemo.Web.dll ({configuration}) not found above {AppContext.BaseDirectory}; build the bench with dotnet run --project bench/ChatDemo.Bench");
    }
}
