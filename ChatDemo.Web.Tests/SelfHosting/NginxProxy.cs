using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace ChatDemo.Web.Tests.SelfHosting;

/// <summary>
/// Debian's nginx terminating TLS in front of an app with the site config operators install
/// (<c>deploy/nginx-chatdemo.conf</c>), in its own temp folder (pid, logs, temp paths), with a
/// self-signed certificate made here, on a free loopback port, in the foreground, killed on dispose.
/// It connects to the app from <see cref="ProxyAddress"/>, so that a test client on any other
/// loopback address is not the proxy.
/// </summary>
public sealed class NginxProxy : IAsyncDisposable
{
    /// <summary>The address nginx connects to the app from (<c>proxy_bind</c>): the app's one known proxy.</summary>
    public static readonly IPAddress ProxyAddress = IPAddress.Parse("127.0.0.2");

    private readonly Process _process;
    private readonly string _folder;
    private readonly StringBuilder _output = new();

    private NginxProxy(Process process, string folder, Uri baseUri, X509Certificate2 certificate)
    {
        _process = process;
        _folder = folder;
        BaseUri = baseUri;
        Certificate = certificate;
    }

    /// <summary><c>https://127.0.0.1:{port}</c>: the origin a browser would see.</summary>
    public Uri BaseUri { get; }

    /// <summary>The self-signed certificate nginx presents; clients pin it.</summary>
    public X509Certificate2 Certificate { get; }

    public string Origin => BaseUri.GetLeftPart(UriPartial.Authority);

    public static async Task<NginxProxy> StartAsync(Uri app)
    {
        var nginx = FindNginx() ?? throw new InvalidOperationException(
            "nginx is not installed: the self-hosting tests run the app behind a real nginx. " +
            "Install it with 'sudo apt-get install -y nginx-light' (./test.sh does so when run as root).");

        var folder = Path.Combine(Path.GetTempPath(), "chatdemo-tests", "nginx-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var certificate = WriteSelfSignedCertificate(folder);
        var port = FreePort();
        await File.WriteAllTextAsync(Path.Combine(folder, "nginx.conf"), Config(folder, port, app));

        var start = new ProcessStartInfo(nginx)
        {
            // -e: the error log before the config is read (Debian's default is a root-only file).
            ArgumentList = { "-p", folder + "/", "-c", Path.Combine(folder, "nginx.conf"), "-e", Path.Combine(folder, "error.log") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start)!;
        var proxy = new NginxProxy(process, folder, new Uri($"https://127.0.0.1:{port}"), certificate);
        process.OutputDataReceived += (_, e) => proxy.Record(e.Data);
        process.ErrorDataReceived += (_, e) => proxy.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await proxy.WaitUntilListeningAsync(port);
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
        return proxy;
    }

    /// <summary>
    /// An HTTP handler that connects from <paramref name="source"/> (a loopback address of its own,
    /// so each test client is a distinct client address) and trusts exactly this proxy's certificate.
    /// </summary>
    public SocketsHttpHandler Handler(IPAddress source) => ClientHandler(source, Certificate);

    /// <summary>A handler connecting from <paramref name="source"/>; with a certificate, trusting only that one.</summary>
    public static SocketsHttpHandler ClientHandler(IPAddress source, X509Certificate2? pinned = null)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        if (pinned is not null)
        {
            var expected = pinned.GetCertHashString(HashAlgorithmName.SHA256);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && certificate.GetCertHashString(HashAlgorithmName.SHA256) == expected;
        }
        return handler;
    }

    private static string? FindNginx()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin").Append("/usr/local/sbin");
        return path.Select(folder => Path.Combine(folder, "nginx")).FirstOrDefault(File.Exists);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static X509Certificate2 WriteSelfSignedCertificate(string folder)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=chatdemo-test-proxy", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        File.WriteAllText(Path.Combine(folder, "cert.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder, "key.pem"), key.ExportPkcs8PrivateKeyPem());
        return X509CertificateLoader.LoadCertificate(certificate.RawData);
    }

    /// <summary>The site config operators install (docs/self-hosting.md).</summary>
    public static string SiteConfigPath => Path.Combine(Infra.Repository.Root, "deploy", "nginx-chatdemo.conf");

    // The committed site file as it is, with the test's port, certificate and app address, and
    // proxy_bind; around it, everything nginx would otherwise write under /var and /run lives in
    // the folder. master_process off: one process, which runs as whoever started it.
    private static string Config(string folder, int port, Uri app)
    {
        var site = File.ReadAllText(SiteConfigPath);
        site = Substitute(site, "listen 443 ssl;", $"listen 127.0.0.1:{port} ssl;");
        site = Substitute(site, "listen [::]:443 ssl;", "");
        site = Substitute(site, "/etc/letsencrypt/live/chat.example.com/fullchain.pem", $"{folder}/cert.pem");
        site = Substitute(site, "/etc/letsencrypt/live/chat.example.com/privkey.pem", $"{folder}/key.pem");
        site = Substitute(site, "proxy_pass http://127.0.0.1:5080;", $"proxy_pass http://{app.Authority}; proxy_bind {ProxyAddress};");
        return $$"""
            daemon off;
            master_process off;
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log info;
            events { worker_connections 256; }
            http {
                access_log {{folder}}/access.log;
                client_body_temp_path {{folder}}/client_body;
                proxy_temp_path {{folder}}/proxy;
                fastcgi_temp_path {{folder}}/fastcgi;
                uwsgi_temp_path {{folder}}/uwsgi;
                scgi_temp_path {{folder}}/scgi;
            {{site}}
            }
            """;
    }

    private static string Substitute(string site, string expected, string replacement) =>
        site.Contains(expected, StringComparison.Ordinal)
            ? site.Replace(expected, replacement, StringComparison.Ordinal)
            : throw new InvalidOperationException($"{SiteConfigPath} no longer contains '{expected}'; adjust NginxProxy's substitutions to it.");

    private async Task WaitUntilListeningAsync(int port)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"nginx exited with {_process.ExitCode} at start: {Log()}");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
            catch (SocketException e)
            {
                throw new TimeoutException($"nginx did not listen on port {port} within 20 s: {Log()}", e);
            }
        }
    }

    private void Record(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    /// <summary>What nginx wrote: its output and error log (for failure messages).</summary>
    public string Log()
    {
        var errorLog = Path.Combine(_folder, "error.log");
        string written;
        lock (_output) written = _output.ToString();
        return written + (File.Exists(errorLog) ? File.ReadAllText(errorLog) : "");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        Certificate.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp folder's cleaning.
        }
    }
}
