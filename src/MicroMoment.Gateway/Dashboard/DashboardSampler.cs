using System.Buffers;
using System.Text.Json;
using MicroMoment.Gateway.Metrics;
using MicroMoment.Silo;
using Microsoft.Extensions.Options;

namespace MicroMoment.Gateway.Dashboard;

/// <summary>
/// Samples the silo once per <see cref="DashboardOptions.RefreshInterval"/> and turns the sample into one JSON snapshot
/// (rates and windowed latency percentiles from the silo's counters and cumulative histogram, process CPU, memory and GC),
/// shared by every watcher: a watcher costs a write of bytes already made, never a computation of its own.
/// Keeps the last <see cref="DashboardOptions.HistoryLength"/> snapshots for the charts.
/// </summary>
public sealed class DashboardSampler : BackgroundService
{
    private readonly IMicroMomentSilo _silo;
    private readonly GatewayMetrics _gatewayMetrics;
    private readonly TimeProvider _time;
    private readonly DashboardOptions _options;
    private readonly Lock _gate = new();
    private readonly byte[][] _history;
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private int _head;
    private int _count;
    private int _watchers;
    private long _sequence;
    private TaskCompletionSource<byte[]> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Previous? _previous;

    /// <summary>Creates the sampler (the host starts it).</summary>
    public DashboardSampler(IMicroMomentSilo silo, GatewayMetrics gatewayMetrics, TimeProvider time, IOptions<GatewayOptions> options)
    {
        _silo = silo;
        _gatewayMetrics = gatewayMetrics;
        _time = time;
        _options = options.Value.Dashboard;
        _history = new byte[_options.HistoryLength][];
    }

    /// <summary>The refresh interval.</summary>
    public TimeSpan Interval => _options.RefreshInterval;

    /// <summary>Clients now watching the live stream.</summary>
    public int Watchers => Volatile.Read(ref _watchers);

    /// <summary>Snapshots taken since start.</summary>
    public long Sequence => Interlocked.Read(ref _sequence);

    /// <summary>The newest snapshot as UTF-8 JSON, or null before the first sample.</summary>
    public byte[]? Latest
    {
        get
        {
            lock (_gate) return _count == 0 ? null : _history[(_head - 1 + _history.Length) % _history.Length];
        }
    }

    /// <summary>Completes with the next snapshot taken.</summary>
    public Task<byte[]> NextAsync() => Volatile.Read(ref _next).Task;

    /// <summary>The kept snapshots, oldest first, as one JSON array.</summary>
    public byte[] HistoryJson()
    {
        lock (_gate)
        {
            int size = 2 + Math.Max(0, _count - 1);
            for (int i = 0; i < _count; i++) size += _history[(_head - _count + i + _history.Length) % _history.Length].Length;
            var result = new byte[size];
            int at = 0;
            result[at++] = (byte)'[';
            for (int i = 0; i < _count; i++)
            {
                if (i > 0) result[at++] = (byte)',';
                var item = _history[(_head - _count + i + _history.Length) % _history.Length];
                item.CopyTo(result, at);
                at += item.Length;
            }
            result[at] = (byte)']';
            return result;
        }
    }

    /// <summary>Registers a watcher of the live stream; dispose the result when it leaves.</summary>
    public IDisposable Watch()
    {
        Interlocked.Increment(ref _watchers);
        return new Watcher(this);
    }

    /// <summary>Takes one sample now, publishes it to the watchers and returns it.</summary>
    public byte[] Sample()
    {
        var statistics = _silo.GetStatistics();
        var now = new Previous(statistics, _time.GetTimestamp(), Environment.CpuUsage.TotalTime, GC.GetTotalPauseDuration());
        byte[] json;
        lock (_gate)
        {
            _buffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(_buffer))
                Write(writer, now, _previous);
            json = _buffer.WrittenSpan.ToArray();
            _previous = now;
            _history[_head] = json;
            _head = (_head + 1) % _history.Length;
            _count = Math.Min(_count + 1, _history.Length);
        }
        Interlocked.Increment(ref _sequence);
        var done = Interlocked.Exchange(ref _next, new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously));
        done.TrySetResult(json);
        return json;
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Sample();
        using var timer = new PeriodicTimer(_options.RefreshInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false)) Sample();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            Volatile.Read(ref _next).TrySetCanceled(CancellationToken.None);
        }
    }

    private void Write(Utf8JsonWriter w, Previous now, Previous? before)
    {
        var s = now.Statistics;
        // Rates are per second of the injected clock (the system clock in production), the one that also paces the samples.
        double seconds = before is null ? 0 : _time.GetElapsedTime(before.Timestamp, now.Timestamp).TotalSeconds;
        long messages = Total(s.EventsByStatus);
        long decisions = s.OffersFired + Total(s.SuppressionsByReason);
        var window = Window(s.ProcessingLatencyBuckets, before?.Statistics.ProcessingLatencyBuckets);
        var turns = Window(s.GrainTurnBuckets, before?.Statistics.GrainTurnBuckets);
        var steps = Window(s.NetworkStepBuckets, before?.Statistics.NetworkStepBuckets);

        w.WriteStartObject();
        w.WriteNumber("t", _time.GetUtcNow().ToUnixTimeMilliseconds());
        w.WriteNumber("seq", Interlocked.Read(ref _sequence) + 1);
        w.WriteNumber("intervalMs", _options.RefreshInterval.TotalMilliseconds);
        w.WriteNumber("watchers", Watchers);
        w.WriteBoolean("ready", s.Ready);
        w.WriteString("model", _silo.Model.Info.Version);
        w.WriteNumber("events", messages);
        w.WriteNumber("accepted", s.EventsAccepted);
        Rate(w, "eventsPerSec", messages, before is null ? messages : Total(before.Statistics.EventsByStatus), seconds);
        Rate(w, "acceptedPerSec", s.EventsAccepted, before?.Statistics.EventsAccepted ?? s.EventsAccepted, seconds);
        w.WriteNumber("offers", s.OffersFired);
        Rate(w, "offersPerSec", s.OffersFired, before?.Statistics.OffersFired ?? s.OffersFired, seconds);
        w.WriteNumber("offersExpired", s.OffersExpired);
        w.WriteNumber("offersAttributed", s.OffersAttributed);
        w.WriteNumber("offersPushed", _gatewayMetrics.OffersPushed);
        w.WriteNumber("streamConnections", _gatewayMetrics.ConnectionsOpen);

        w.WriteStartObject("latency");
        Ms(w, "p50", Quantiles.FromCumulative(window, 0.50));
        Ms(w, "p95", Quantiles.FromCumulative(window, 0.95));
        Ms(w, "p99", Quantiles.FromCumulative(window, 0.99));
        w.WriteNumber("windowCount", window.Count == 0 ? 0 : window[^1].Value);
        Ms(w, "allP50", Quantiles.FromCumulative(s.ProcessingLatencyBuckets, 0.50));
        Ms(w, "allP95", Quantiles.FromCumulative(s.ProcessingLatencyBuckets, 0.95));
        Ms(w, "allP99", Quantiles.FromCumulative(s.ProcessingLatencyBuckets, 0.99));
        Ms(w, "mean", s.ProcessingLatencyCount == 0 ? double.NaN : s.ProcessingLatencySum / s.ProcessingLatencyCount);
        w.WriteNumber("count", s.ProcessingLatencyCount);
        w.WriteEndObject();

        w.WriteStartArray("alerts");
        foreach (var a in s.Alerts)
        {
            w.WriteStartObject();
            w.WriteString("name", a.Name);
            w.WriteBoolean("firing", a.Firing);
            w.WriteBoolean("judged", a.Judged);
            if (a.Observed is { } observed && double.IsFinite(observed)) w.WriteNumber("observed", observed);
            else w.WriteNull("observed");
            w.WriteNumber("limit", a.Limit);
            w.WriteString("basis", a.Basis);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteNumber("liveActivations", s.LiveActivations);
        w.WriteNumber("activations", s.Activations);
        w.WriteNumber("deactivations", s.Deactivations);
        w.WriteNumber("queueCapacity", s.QueueCapacity);
        w.WriteStartArray("queueDepths");
        foreach (var depth in s.QueueDepths) w.WriteNumberValue(depth);
        w.WriteEndArray();
        Map(w, "suppressions", s.SuppressionsByReason);
        Map(w, "drops", s.DropsByReason);
        Map(w, "eventsByStatus", s.EventsByStatus);
        Map(w, "feedback", s.FeedbackByOutcome);
        w.WriteNumber("errors", Total(s.DropsByReason) - s.DropsByReason.GetValueOrDefault("duplicate") - s.DropsByReason.GetValueOrDefault("late-duplicate") + s.WriteFailures);
        w.WriteNumber("writeFailures", s.WriteFailures);
        w.WriteNumber("pendingWrites", s.PendingWrites);
        w.WriteNumber("writesCommitted", s.WritesCommitted);
        w.WriteNumber("meanBatch", s.NetworkSteps == 0 ? 0 : s.NetworkRows / (double)s.NetworkSteps);

        w.WriteStartArray("grains");
        w.WriteStartObject();
        w.WriteString("type", "user");
        w.WriteString("purpose", "one shopper: session, network state, scores, attention, consent, dedup");
        w.WriteNumber("activations", s.LiveActivations);
        w.WriteNumber("activationsTotal", s.Activations);
        Rate(w, "messagesPerSec", messages, before is null ? messages : Total(before.Statistics.EventsByStatus), seconds);
        Ms(w, "turnP50", Quantiles.FromCumulative(turns, 0.50));
        Ms(w, "turnP99", Quantiles.FromCumulative(turns, 0.99));
        Ms(w, "allTurnP50", Quantiles.FromCumulative(s.GrainTurnBuckets, 0.50));
        Ms(w, "allTurnP99", Quantiles.FromCumulative(s.GrainTurnBuckets, 0.99));
        w.WriteEndObject();
        w.WriteStartObject();
        w.WriteString("type", "trigger");
        w.WriteString("purpose", "one shopper's offer policy (co-located: decided inside its user grain's turn): rules, cooldown, session cap, offer life cycle");
        w.WriteNumber("activations", s.LiveActivations);
        w.WriteNumber("activationsTotal", s.Activations);
        Rate(w, "messagesPerSec", decisions, before is null ? decisions : before.Statistics.OffersFired + Total(before.Statistics.SuppressionsByReason), seconds);
        w.WriteNull("turnP50");
        w.WriteNull("turnP99");
        w.WriteNull("allTurnP50");
        w.WriteNull("allTurnP99");
        w.WriteEndObject();
        w.WriteStartObject();
        w.WriteString("type", "cluster-centroid");
        w.WriteString("purpose", "the behavioral clusters of the model version (read by user views and this dashboard)");
        w.WriteNumber("activations", 1);
        w.WriteNumber("activationsTotal", 1);
        w.WriteNumber("messagesPerSec", 0);
        w.WriteNull("turnP50");
        w.WriteNull("turnP99");
        w.WriteNull("allTurnP50");
        w.WriteNull("allTurnP99");
        w.WriteEndObject();
        w.WriteEndArray();

        w.WriteStartObject("networkStep");
        Ms(w, "p50", Quantiles.FromCumulative(steps, 0.50));
        Ms(w, "p99", Quantiles.FromCumulative(steps, 0.99));
        Ms(w, "allP50", Quantiles.FromCumulative(s.NetworkStepBuckets, 0.50));
        Ms(w, "allP99", Quantiles.FromCumulative(s.NetworkStepBuckets, 0.99));
        w.WriteNumber("steps", s.NetworkSteps);
        w.WriteEndObject();

        w.WriteStartArray("silos");
        w.WriteStartObject();
        w.WriteString("id", "silo-0");
        w.WriteString("kind", "embedded");
        w.WriteNumber("cores", Environment.ProcessorCount);
        w.WriteNumber("cpuSeconds", now.Cpu.TotalSeconds);
        if (before is null || seconds <= 0) w.WriteNull("cpuPercent");
        else w.WriteNumber("cpuPercent", Math.Round(100 * (now.Cpu - before.Cpu).TotalSeconds / seconds, 3));
        w.WriteNumber("workingSetBytes", Environment.WorkingSet);
        w.WriteNumber("heapBytes", GC.GetTotalMemory(false));
        w.WriteStartArray("gcCounts");
        for (int g = 0; g <= GC.MaxGeneration; g++) w.WriteNumberValue(GC.CollectionCount(g));
        w.WriteEndArray();
        w.WriteNumber("gcPauseMs", Math.Round(now.GcPause.TotalMilliseconds, 3));
        if (before is null || seconds <= 0) w.WriteNull("gcPausePercent");
        else w.WriteNumber("gcPausePercent", Math.Round(100 * (now.GcPause - before.GcPause).TotalSeconds / seconds, 3));
        w.WriteString("backend", s.Backend);
        w.WriteNumber("activations", s.LiveActivations);
        w.WriteNumber("threads", ThreadPool.ThreadCount);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static IReadOnlyList<KeyValuePair<double, long>> Window(IReadOnlyList<KeyValuePair<double, long>> now, IReadOnlyList<KeyValuePair<double, long>>? before) =>
        before is null || before.Count == 0 ? now : Quantiles.Difference(now, before);

    private static long Total(IReadOnlyDictionary<string, long> counts)
    {
        long total = 0;
        foreach (var pair in counts) total += pair.Value;
        return total;
    }

    private static void Rate(Utf8JsonWriter w, string name, long now, long before, double seconds)
    {
        if (seconds <= 0) w.WriteNull(name);
        else w.WriteNumber(name, Math.Round(Math.Max(0, now - before) / seconds, 3));
    }

    private static void Ms(Utf8JsonWriter w, string name, double seconds)
    {
        if (double.IsNaN(seconds) || double.IsInfinity(seconds)) w.WriteNull(name);
        else w.WriteNumber(name, Math.Round(seconds * 1000, 4));
    }

    private static void Map(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, long> counts)
    {
        w.WriteStartObject(name);
        foreach (var pair in counts.OrderBy(p => p.Key, StringComparer.Ordinal)) w.WriteNumber(pair.Key, pair.Value);
        w.WriteEndObject();
    }

    private sealed record Previous(SiloStatistics Statistics, long Timestamp, TimeSpan Cpu, TimeSpan GcPause);

    private sealed class Watcher(DashboardSampler sampler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) Interlocked.Decrement(ref sampler._watchers);
        }
    }
}
