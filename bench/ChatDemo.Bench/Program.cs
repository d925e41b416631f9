using ChatDemo.Bench;
using ChatDemo.Bench.Servers;

// `server raw|signalr --port N` runs a comparison server (the bench starts these itself);
// `profile SERVER …` holds one server under load for a profiler (ProfileHarness); anything else runs the benchmark: --quick (under 3 minutes) or the full run, --out DIR.
if (args is ["server", var kind, "--port", var port])
{
    var portNumber = int.Parse(port, System.Globalization.CultureInfo.InvariantCulture);
    await (kind switch
    {
        "raw" => RawBroadcastServer.RunAsync(portNumber),
        "signalr" => SignalRBroadcastServer.RunAsync(portNumber),
        _ => throw new ArgumentException($"unknown server {kind}"),
    });
    return 0;
}

if (args is ["profile", var server, ..])
    return await ProfileHarness.RunAsync(server, args);

return await BenchRunner.RunAsync(args);
