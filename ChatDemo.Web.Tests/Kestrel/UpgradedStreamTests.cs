using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatDemo.Web.Tests.Kestrel;

/// <summary>
/// What <c>CoalescingStream</c> relies on to hand its held buffer back to the pool as soon as the
/// write that releases it returns: Kestrel's upgraded stream has copied the bytes into its output
/// pipe by then, even when the flush behind the write waits for a reader that is behind.
/// </summary>
public sealed class UpgradedStreamTests
{
    // Far more than Kestrel's response buffer and the loopback socket buffers take, so the flush waits.
    private const int Size = 32 * 1024 * 1024;

    [Fact]
    public async Task KestrelsUpgradedStreamHasCopiedAWriteWhenWriteAsyncReturnsEvenWhileItsFlushWaits()
    {
        var flushWasPending = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        app.Run(async context =>
        {
            await using var stream = await context.Features.Get<IHttpUpgradeFeature>()!.UpgradeAsync();
            var buffer = new byte[Size];
            Array.Fill(buffer, (byte)'A');
            var write = stream.WriteAsync(buffer);
            flushWasPending.SetResult(!write.IsCompleted);
            Array.Fill(buffer, (byte)'B'); // what a pool's next renter would do to the buffer
            await write;
        });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        using var client = new TcpClient();
        await client.ConnectAsync(address.Host, address.Port);
        var network = client.GetStream();
        await network.WriteAsync("GET / HTTP/1.1\r\nHost: test\r\nConnection: Upgrade\r\nUpgrade: test\r\n\r\n"u8.ToArray());

        Assert.True(await flushWasPending.Task.WaitAsync(TimeSpan.FromSeconds(10)), "the write should have had to wait for this reader");
        var (body, bs) = await ReadBodyAsync(network);
        Assert.Equal(Size, body);
        Assert.Equal(0, bs);
        await app.StopAsync();
    }

    /// <summary>Reads past the 101 response's head, then counts the body's bytes and how many of them are 'B'.</summary>
    private static async Task<(int Bytes, int Bs)> ReadBodyAsync(NetworkStream network)
    {
        var buffer = new byte[64 * 1024];
        var head = new StringBuilder();
        int bytes = 0, bs = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (bytes < Size)
        {
            var read = await network.ReadAsync(buffer, timeout.Token);
            if (read == 0) break;
            var start = 0;
            if (head is not null)
            {
                head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                var end = head.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end < 0) continue;
                Assert.StartsWith("HTTP/1.1 101", head.ToString(), StringComparison.Ordinal);
                start = read - (head.Length - (end + 4));
                head = null;
            }
            bytes += read - start;
            bs += buffer.AsSpan(start, read - start).Count((byte)'B');
        }
        return (bytes, bs);
    }
}
