using MicroMoment.Evaluation;

namespace MicroMoment.Tests.Evaluation;

public class EarlyDetectionTests
{
    private static readonly DateTime s_t0 = new(2019, 10, 1, 12, 0, 0, DateTimeKind.Utc);

    private static SessionTrace Trace(long id, float[] p, int[] offsetsSeconds, int firstPurchase) =>
        new(id, p, offsetsSeconds.Select(o => s_t0.AddSeconds(o)).ToArray(), firstPurchase);

    private static readonly SessionTrace[] s_traces =
    [
        Trace(1, [0.1f, 0.6f, 0.7f, 0.9f], [0, 10, 30, 70], 3), // flagged at event 1: 2 events, 60 s early
        Trace(2, [0.2f, 0.3f, 0.8f, 0.9f], [0, 5, 9, 20], 2),   // only crosses at the purchase itself: missed
        Trace(3, [0.9f, 0.95f], [0, 5], 1),                      // flagged at event 0: 1 event, 5 s early
        Trace(4, [0.1f, 0.2f], [0, 3], -1),                      // quiet non-buyer
        Trace(5, [0.1f, 0.55f, 0.2f], [0, 3, 6], -1),            // false alarm
        Trace(6, [0.9f], [0], 0),                                // purchase first: cannot be early
    ];

    [Fact]
    public void LeadTimesAndRatesMatchHandBuiltTraces()
    {
        var r = EarlyDetection.Evaluate(s_traces, 0.5f);
        Assert.Equal(4, r.PurchasingSessions);
        Assert.Equal(2, r.NonPurchasingSessions);
        Assert.Equal(2, r.DetectedBeforePurchase);
        Assert.Equal(0.5, r.DetectionRate, 12);
        Assert.Equal(1.5, r.MedianLeadEvents, 12);
        Assert.Equal(1.5, r.MeanLeadEvents, 12);
        Assert.Equal(32.5, r.MedianLeadSeconds, 12);
        Assert.Equal(32.5, r.MeanLeadSeconds, 12);
        Assert.Equal(1, r.FalseAlarms);
        Assert.Equal(0.5, r.FalseAlarmRate, 12);
    }

    [Fact]
    public void ProbabilitiesAtOrAfterThePurchaseAreIgnored()
    {
        var r = EarlyDetection.Evaluate([s_traces[1]], 0.5f);
        Assert.Equal(0, r.DetectedBeforePurchase);
        Assert.True(double.IsNaN(r.MedianLeadSeconds));
        Assert.True(double.IsNaN(r.FalseAlarmRate));
    }

    [Fact]
    public void HigherThresholdFlagsLaterAndRaisesFewerAlarms()
    {
        var sweep = EarlyDetection.Sweep(s_traces, [0.5f, 0.65f, 0.99f]);
        Assert.Equal(2, sweep[1].DetectedBeforePurchase);
        Assert.Equal(1.0, sweep[1].MedianLeadEvents, 12); // session 1 now flagged at event 2
        Assert.Equal(0, sweep[1].FalseAlarms);
        Assert.Equal(0, sweep[2].DetectedBeforePurchase);
    }

    [Fact]
    public void TraceWithMismatchedTimesIsRejected()
    {
        var bad = new SessionTrace(9, [0.1f, 0.2f], [s_t0], -1);
        var ex = Assert.Throws<ArgumentException>(() => EarlyDetection.Evaluate([bad], 0.5f));
        Assert.Contains("Session 9", ex.Message);
    }

    [Fact]
    public void PurchaseIndexBeyondTheTraceIsRejected()
    {
        var bad = new SessionTrace(10, [0.1f], [s_t0], 3);
        Assert.Throws<ArgumentException>(() => EarlyDetection.Evaluate([bad], 0.5f));
    }
}
