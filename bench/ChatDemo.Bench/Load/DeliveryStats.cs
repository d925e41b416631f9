using System.Diagnostics;

namespace ChatDemo.Bench.Load;

/// <summary>
/// Deliveries and send-to-receive latencies of the current step, recorded concurrently by every
/// receiver. Latencies go into a log-scaled histogram (1 % resolution from 1 µs to minutes).
/// Deliveries of an earlier step that arrive late are counted apart and ignored.
/// </summary>
public sealed class DeliveryStats
{
    private const double BucketsPerE = 100; // bucket i covers [e^(i/100), e^((i+1)/100)) µs: 1 % wide
    private readonly long[] _buckets = new long[2000];
    private volatile int _step = -1;
    private long _delivered;
    private long _late;
    private long _acks;
    private long _errors;

    public int Step => _step;

    public long Delivered => Interlocked.Read(ref _delivered);

    public long Acks => Interlocked.Read(ref _acks);

    public long Errors => Interlocked.Read(ref _errors);

    public long Late => Interlocked.Read(ref _late);

    public void BeginStep(int step)
    {
        Array.Clear(_buckets);
        Interlocked.Exchange(ref _delivered, 0);
        Interlocked.Exchange(ref _late, 0);
        Interlocked.Exchange(ref _acks, 0);
        Interlocked.Exchange(ref _errors, 0);
        _step = step;
    }

    public void Record(int step, long elapsedTimestamp)
    {
        if (step != _step)
        {
            Interlocked.Increment(ref _late);
            return;
        }
        var micros = Math.Max(1.0, elapsedTimestamp * 1_000_000.0 / Stopwatch.Frequency);
        var bucket = Math.Min(_buckets.Length - 1, (int)(Math.Log(micros) * BucketsPerE));
        Interlocked.Increment(ref _buckets[bucket]);
        Interlocked.Increment(ref _delivered);
    }

    public void RecordAck() => Interlocked.Increment(ref _acks);

    /// <summary>An <c>error</c> frame (ChatDemo's <c>rate_limited</c>, for example): the message was not accepted.</summary>
    public void RecordError() => Interlocked.Increment(ref _errors);

    /// <summary>The latency in milliseconds below which <paramref name="quantile"/> of deliveries fell (upper bucket edge).</summary>
    public double PercentileMs(double quantile)
    {
        var total = 0L;
        foreach (var b in _buckets) total += b;
        if (total == 0) return double.NaN;
        var rank = (long)Math.Ceiling(quantile * total);
        var seen = 0L;
        for (var i = 0; i < _buckets.Length; i++)
        {
            seen += _buckets[i];
            if (seen >= rank) return Math.Exp((i + 1) / BucketsPerE) / 1000.0;
        }
        return double.NaN;
    }

    public double MaxMs()
    {
        for (var i = _buckets.Length - 1; i >= 0; i--)
        {
            if (_buckets[i] > 0) return Math.Exp((i + 1) / BucketsPerE) / 1000.0;
        }
        return double.NaN;
    }
}
