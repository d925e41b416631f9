using System.Security.Cryptography;
using System.Text;
using ChatDemo.Web.Configuration;
using Microsoft.Extensions.Options;

namespace ChatDemo.Web.Sessions;

/// <summary>The secret that signs guest-session tokens.</summary>
public sealed class SigningKey(byte[] bytes)
{
    public byte[] Bytes { get; } = bytes;

    /// <summary>
    /// <c>Chat__Sessions__SigningKey</c> when set (required outside Development). In Development
    /// without one, a random key kept in the app's data folder, so that sessions — and with them
    /// the idempotency of resends — survive a restart of <c>dotnet run</c>.
    /// </summary>
    public static SigningKey Resolve(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<ChatOptions>>().Value;
        if (options.Sessions.SigningKey is { } configured)
            return new SigningKey(Encoding.UTF8.GetBytes(configured));

        var dataFolder = DataFolder.Resolve(services.GetRequiredService<IHostEnvironment>());
        var file = Path.Combine(dataFolder, "dev-session-signing.key");
        if (File.Exists(file))
        {
            var existing = Convert.FromBase64String(File.ReadAllText(file).Trim());
            if (existing.Length >= 32) return new SigningKey(existing);
        }
        var key = RandomNumberGenerator.GetBytes(32);
        Directory.CreateDirectory(dataFolder);
        File.WriteAllText(file, Convert.ToBase64String(key));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return new SigningKey(key);
    }
}
