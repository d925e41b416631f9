using System.Diagnostics;
using System.Text;

namespace ChatDemo.Bench.Load;

/// <summary>
/// The 100-character message text: <c>~SSS~TTTTTTTTTTTTTTTTTTT~xxx…</c>, the step number and the
/// <see cref="Stopwatch"/> timestamp at which the message was scheduled to be sent. Using the
/// scheduled time rather than the moment it was written means a sender that falls behind shows up
/// as latency instead of hiding it (no coordinated omission).
/// </summary>
public static class Payload
{
    public const int TextLength = 100;
    private const int MarkerLength = 25; // ~ + 3 + ~ + 19 + ~

    public static string Text(int step, long scheduledTimestamp) =>
        string.Create(TextLength, (step, scheduledTimestamp), static (span, s) =>
        {
            span.Fill('x');
            span[0] = '~';
            s.step.TryFormat(span[1..4], out _, "D3", System.Globalization.CultureInfo.InvariantCulture);
            span[4] = '~';
            s.scheduledTimestamp.TryFormat(span[5..24], out _, "D19", System.Globalization.CultureInfo.InvariantCulture);
            span[24] = '~';
        });

    /// <summary>Counts every message text in a received frame (SignalR may batch several) into <paramref name="stats"/>.</summary>
    public static void Scan(ReadOnlySpan<byte> frame, DeliveryStats stats)
    {
        var now = Stopwatch.GetTimestamp();
        while (true)
        {
            var at = frame.IndexOf((byte)'~');
            if (at < 0 || frame.Length - at < MarkerLength) return;
            var marker = frame.Slice(at, MarkerLength);
            if (marker[4] == '~' && marker[24] == '~' && TryDigits(marker.Slice(1, 3), out var step) && TryDigits(marker.Slice(5, 19), out var sentAt))
            {
                stats.Record((int)step, now - sentAt);
                frame = frame[(at + MarkerLength)..];
            }
            else
            {
                frame = frame[(at + 1)..];
            }
        }
    }

    public static void Scan(string text, DeliveryStats stats) => Scan(Encoding.UTF8.GetBytes(text), stats);

    private static bool TryDigits(ReadOnlySpan<byte> digits, out long value)
    {
        value = 0;
        foreach (var d in digits)
        {
            if (d is < (byte)'0' or > (byte)'9') return false;
            value = value * 10 + (d - '0');
        }
        return true;
    }
}
