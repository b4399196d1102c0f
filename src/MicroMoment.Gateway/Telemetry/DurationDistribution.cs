using HdrHistogram;

namespace MicroMoment.Gateway.Telemetry;

/// <summary>
/// One duration instrument's measurements as HdrHistogram keeps them (nanoseconds, 3 significant digits, 1 ns to 1 h):
/// the interval since the last <see cref="TakeInterval"/> and everything so far.
/// </summary>
internal sealed class DurationDistribution
{
    private const long MaxNanoseconds = 3_600_000_000_000;

    private readonly Recorder _recorder = HistogramFactory.With64BitBucketSize().WithValuesFrom(1).WithValuesUpTo(MaxNanoseconds).WithPrecisionOf(3).WithThreadSafeWrites().WithThreadSafeReads().Create();
    private readonly HistogramBase _total = HistogramFactory.With64BitBucketSize().WithValuesFrom(1).WithValuesUpTo(MaxNanoseconds).WithPrecisionOf(3).Create();
    private readonly Lock _gate = new();

    /// <summary>Records one duration.</summary>
    public void Record(double seconds)
    {
        if (!(seconds >= 0)) return;
        _recorder.RecordValue(Math.Clamp((long)(seconds * 1e9), 1, MaxNanoseconds));
    }

    /// <summary>The measurements since the previous call (and adds them to the running total).</summary>
    public DurationSnapshot TakeInterval()
    {
        lock (_gate)
        {
            var interval = _recorder.GetIntervalHistogram();
            _total.Add(interval);
            return new DurationSnapshot(Summary.Of(interval), Summary.Of(_total));
        }
    }
}
