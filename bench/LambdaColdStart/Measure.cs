using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LambdaColdStart;

public static class Measure
{
    // Generous: on this shared machine a cold start has taken over a minute of wall time under load.
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    /// <summary>An HTTP API 2.0 event for GET /health, as API Gateway would send it.</summary>
    private static readonly byte[] HealthEvent = Encoding.UTF8.GetBytes("""
        {"version":"2.0","routeKey":"$default","rawPath":"/health","rawQueryString":"",
         "headers":{"host":"abc.execute-api.us-east-1.amazonaws.com","x-forwarded-proto":"https","accept":"application/json"},
         "requestContext":{"http":{"method":"GET","path":"/health","protocol":"HTTP/1.1","sourceIp":"192.0.2.1"},
                           "stage":"$default","requestId":"r"},
         "isBase64Encoded":false}
        """);

    /// <summary>Wall time, and the app process's CPU time (user + system) when it had answered: the
    /// CPU time barely moves with the machine's load, the wall time does.</summary>
    public readonly record struct ColdStart(double WallMs, double CpuMs);

    public static async Task<ColdStart> LambdaColdStartAsync(PublishedApp app)
    {
        await using var runtime = await RuntimeApi.StartAsync();
        var answered = runtime.InvokeAsync(HealthEvent);
        var clock = Stopwatch.StartNew();
        var process = app.Start(new Dictionary<string, string> { ["AWS_LAMBDA_RUNTIME_API"] = runtime.Address });
        try
        {
            var exited = process.WaitForExitAsync();
            if (await Task.WhenAny(answered, exited).WaitAsync(Patience) == exited)
                throw new InvalidOperationException($"{app.Name} exited with code {process.ExitCode} before answering");
            if (!await answered) throw new InvalidOperationException("the first invocation failed");
            return new ColdStart(clock.Elapsed.TotalMilliseconds, CpuMs(process));
        }
        finally
        {
            await PublishedApp.StopAsync(process);
        }
    }

    public static async Task<ColdStart> KestrelColdStartAsync(PublishedApp app)
    {
        var port = FreePort();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var clock = Stopwatch.StartNew();
        var process = app.Start(new Dictionary<string, string> { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" });
        try
        {
            while (clock.Elapsed < Patience)
            {
                try
                {
                    using var response = await http.GetAsync("/health");
                    if (response.StatusCode == HttpStatusCode.OK) return new ColdStart(clock.Elapsed.TotalMilliseconds, CpuMs(process));
                }
                catch (HttpRequestException)
                {
                    // not listening yet
                }
                await Task.Delay(2);
            }
            throw new TimeoutException("Kestrel never answered");
        }
        finally
        {
            await PublishedApp.StopAsync(process);
        }
    }

    public static async Task<List<double>> LambdaRequestsAsync(PublishedApp app, int count)
    {
        await using var runtime = await RuntimeApi.StartAsync();
        var process = app.Start(new Dictionary<string, string> { ["AWS_LAMBDA_RUNTIME_API"] = runtime.Address });
        try
        {
            return await TimeEachAsync(count, () => runtime.InvokeAsync(HealthEvent));
        }
        finally
        {
            await PublishedApp.StopAsync(process);
        }
    }

    public static async Task<List<double>> KestrelRequestsAsync(PublishedApp app, int count)
    {
        var port = FreePort();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var process = app.Start(new Dictionary<string, string> { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" });
        try
        {
            await KestrelReadyAsync(http);
            return await TimeEachAsync(count, async () =>
            {
                using var response = await http.GetAsync("/health");
                return response.IsSuccessStatusCode;
            });
        }
        finally
        {
            await PublishedApp.StopAsync(process);
        }
    }

    /// <summary>Milliseconds per request, after 300 unmeasured ones.</summary>
    private static async Task<List<double>> TimeEachAsync(int count, Func<Task<bool>> request)
    {
        for (var i = 0; i < 300; i++)
            if (!await request().WaitAsync(Patience)) throw new InvalidOperationException("a warm-up request failed");
        var times = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            if (!await request().WaitAsync(Patience)) throw new InvalidOperationException("a request failed");
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return times;
    }

    private static async Task KestrelReadyAsync(HttpClient http)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Patience)
        {
            try
            {
                using var response = await http.GetAsync("/health");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(10);
        }
        throw new TimeoutException("Kestrel never answered");
    }

    private static double CpuMs(System.Diagnostics.Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime.TotalMilliseconds;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
