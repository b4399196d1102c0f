using System.Buffers;
using System.Text.Json;
using MicroMoment.Gateway.Metrics;
using MicroMoment.Gateway.Telemetry;
using MicroMoment.Silo;
using Microsoft.Extensions.Options;

namespace MicroMoment.Gateway.Dashboard;

/// <summary>
/// Samples the silo once per <see cref="DashboardOptions.RefreshInterval"/> and turns the sample into one JSON snapshot
/// (rates and windowed latency percentiles from the silo's counters and cumulative histogram; from Orleans, through
/// <see cref="IClusterStatistics"/> when the host registered it, every silo's membership status and runtime statistics
/// and the activations per grain type; the process's own CPU, memory and GC), shared by every watcher: a watcher costs a
/// write of bytes already made, never a computation of its own. Keeps the last <see cref="DashboardOptions.HistoryLength"/>
/// snapshots for the charts.
/// </summary>
public sealed class DashboardSampler : BackgroundService
{
    private readonly IMicroMomentSilo _silo;
    private readonly GatewayMetrics _gatewayMetrics;
    private readonly TimeProvider _time;
    private readonly DashboardOptions _options;
    private readonly DashboardFeatures _features;
    private readonly IClusterStatistics? _cluster;
    private readonly InstrumentReader? _instruments;
    private readonly Lock _gate = new();
    private readonly byte[][] _history;
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private int _head;
    private int _count;
    private int _watchers;
    private long _sequence;
    private TaskCompletionSource<byte[]> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Previous? _previous;
    private ClusterReading? _reading;
    private Task? _clusterRead;

    /// <summary>How long one reading of the cluster may take before it counts as failed.</summary>
    internal static readonly TimeSpan ClusterTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Creates the sampler (the host starts it); <paramref name="cluster"/> is Orleans' view of the cluster, if the host registered one;
    /// <paramref name="instruments"/> reads the duration instruments (null: no durations shown).
    /// </summary>
    internal DashboardSampler(IMicroMomentSilo silo, GatewayMetrics gatewayMetrics, TimeProvider time, IOptions<GatewayOptions> options, DashboardFeatures features, IClusterStatistics? cluster = null,
        InstrumentReader? instruments = null)
    {
        _instruments = instruments;
        _silo = silo;
        _gatewayMetrics = gatewayMetrics;
        _time = time;
        _options = options.Value.Dashboard;
        _features = features;
        _cluster = cluster;
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
        var cluster = Volatile.Read(ref _reading);
        byte[] json;
        lock (_gate)
        {
            _buffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(_buffer))
                Write(writer, now, _previous, cluster, new Durations(Take("micromoment.grain.event.duration"), Take("micromoment.grain.turn.duration"), Take("micromoment.executor.step.duration")));
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

    /// <summary>Reads the cluster from Orleans now and waits for the answer (the next snapshot shows it); nothing without <see cref="IClusterStatistics"/>.</summary>
    internal Task ReadClusterNowAsync(CancellationToken cancellationToken = default) => ReadClusterAsync(cancellationToken);

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RefreshClusterAsync(stoppingToken).ConfigureAwait(false);
        Sample();
        using var timer = new PeriodicTimer(_options.RefreshInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await RefreshClusterAsync(stoppingToken).ConfigureAwait(false);
                Sample();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            Volatile.Read(ref _next).TrySetCanceled(CancellationToken.None);
        }
    }

    /// <summary>
    /// Starts a reading of the cluster unless one is still running, and waits for it at most half an interval: a slow or
    /// unreachable cluster never holds the snapshots back (they carry the last reading, its age and the error).
    /// </summary>
    private async Task RefreshClusterAsync(CancellationToken stoppingToken)
    {
        if (_cluster is null) return;
        var read = _clusterRead;
        if (read is null || read.IsCompleted) _clusterRead = read = ReadClusterAsync(stoppingToken);
        try
        {
            await read.WaitAsync(_options.RefreshInterval / 2, stoppingToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
    }

    private async Task ReadClusterAsync(CancellationToken stoppingToken)
    {
        if (_cluster is null) return;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(ClusterTimeout);
        var before = Volatile.Read(ref _reading);
        try
        {
            var report = await _cluster.GetAsync(timeout.Token).ConfigureAwait(false);
            Volatile.Write(ref _reading, new ClusterReading(report, null, _time.GetTimestamp(), Rates(report, before?.Report, before?.Rates)));
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            string reason = ex is OperationCanceledException ? $"Orleans did not answer within {ClusterTimeout.TotalSeconds:0} s" : ex.Message;
            Volatile.Write(ref _reading, before is null ? new ClusterReading(null, reason, _time.GetTimestamp(), new Dictionary<string, MessageRates>()) : before with { Error = reason });
        }
    }

    /// <summary>
    /// Orleans messages and events per second per silo, between two readings that silo answered at different times (its
    /// runtime statistics for messages, its report grain for events; else the last known rates).
    /// </summary>
    private static Dictionary<string, MessageRates> Rates(ClusterReport now, ClusterReport? before, IReadOnlyDictionary<string, MessageRates>? last)
    {
        var rates = new Dictionary<string, MessageRates>(StringComparer.Ordinal);
        foreach (var silo in now.Silos)
        {
            var previous = before?.Silos.FirstOrDefault(p => p.Address == silo.Address);
            var known = last?.GetValueOrDefault(silo.Address) ?? default;
            double? received = known.ReceivedPerSec, sent = known.SentPerSec, events = known.EventsPerSec;
            if (silo.Runtime is { } r && previous?.Runtime is { } p)
            {
                double seconds = (r.TakenAt - p.TakenAt).TotalSeconds;
                if (seconds > 0)
                {
                    received = Math.Round(Math.Max(0, r.ReceivedMessages - p.ReceivedMessages) / seconds, 3);
                    sent = Math.Round(Math.Max(0, r.SentMessages - p.SentMessages) / seconds, 3);
                }
            }

            if (silo.Report is { } e && previous?.Report is { } q)
            {
                double seconds = (e.TakenAt - q.TakenAt).TotalSeconds;
                if (seconds > 0) events = Math.Round(Math.Max(0, e.EventsHandled - q.EventsHandled) / seconds, 3);
            }

            if (received is not null || events is not null) rates[silo.Address] = new MessageRates(received, sent, events);
        }

        return rates;
    }

    private DurationSnapshot Take(string instrument) => _instruments?.TakeInterval(instrument) ?? DurationSnapshot.Empty;

    private void Write(Utf8JsonWriter w, Previous now, Previous? before, ClusterReading? cluster, Durations durations)
    {
        var s = now.Statistics;
        // Rates are per second of the injected clock (the system clock in production), the one that also paces the samples.
        double seconds = before is null ? 0 : _time.GetElapsedTime(before.Timestamp, now.Timestamp).TotalSeconds;
        long messages = Total(s.EventsByStatus);
        long decisions = s.OffersFired + Total(s.SuppressionsByReason);
        var (latency, turns, steps) = durations;
        double? eventsPerSec = seconds <= 0 ? null : Math.Round(Math.Max(0, messages - (before is null ? messages : Total(before.Statistics.EventsByStatus))) / seconds, 3);

        w.WriteStartObject();
        w.WriteNumber("t", _time.GetUtcNow().ToUnixTimeMilliseconds());
        w.WriteNumber("seq", Interlocked.Read(ref _sequence) + 1);
        w.WriteNumber("intervalMs", _options.RefreshInterval.TotalMilliseconds);
        w.WriteNumber("watchers", Watchers);
        w.WriteBoolean("ready", s.Ready);
        w.WriteString("model", _silo.Model.Info.Version);
        if (_features.OrleansDashboard is { } orleans) w.WriteString("orleansDashboard", orleans);
        else w.WriteNull("orleansDashboard");
        w.WriteNumber("events", messages);
        w.WriteNumber("accepted", s.EventsAccepted);
        Nullable(w, "eventsPerSec", eventsPerSec);
        Rate(w, "acceptedPerSec", s.EventsAccepted, before?.Statistics.EventsAccepted ?? s.EventsAccepted, seconds);
        w.WriteNumber("offers", s.OffersFired);
        Rate(w, "offersPerSec", s.OffersFired, before?.Statistics.OffersFired ?? s.OffersFired, seconds);
        w.WriteNumber("offersExpired", s.OffersExpired);
        w.WriteNumber("offersAttributed", s.OffersAttributed);
        w.WriteNumber("offersPushed", _gatewayMetrics.OffersPushed);
        w.WriteNumber("streamConnections", _gatewayMetrics.ConnectionsOpen);

        w.WriteStartObject("latency");
        Ms(w, "p50", latency.Interval.P50);
        Ms(w, "p95", latency.Interval.P95);
        Ms(w, "p99", latency.Interval.P99);
        w.WriteNumber("windowCount", latency.Interval.Count);
        Ms(w, "allP50", latency.Total.P50);
        Ms(w, "allP95", latency.Total.P95);
        Ms(w, "allP99", latency.Total.P99);
        Ms(w, "mean", latency.Total.Mean);
        w.WriteNumber("count", latency.Total.Count);
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
        long inHand = 0;
        foreach (var depth in s.QueueDepths) inHand += depth;
        w.WriteNumber("inHand", inHand);
        Map(w, "suppressions", s.SuppressionsByReason);
        Map(w, "drops", s.DropsByReason);
        Map(w, "eventsByStatus", s.EventsByStatus);
        Map(w, "feedback", s.FeedbackByOutcome);
        w.WriteNumber("errors", Total(s.DropsByReason) - s.DropsByReason.GetValueOrDefault("duplicate") - s.DropsByReason.GetValueOrDefault("late-duplicate") + s.WriteFailures);
        w.WriteNumber("writeFailures", s.WriteFailures);
        w.WriteNumber("pendingWrites", s.PendingWrites);
        w.WriteNumber("writesCommitted", s.WritesCommitted);
        w.WriteNumber("meanBatch", s.NetworkSteps == 0 ? 0 : s.NetworkRows / (double)s.NetworkSteps);

        var report = cluster?.Report;
        w.WriteStartObject("cluster");
        w.WriteBoolean("configured", _cluster is not null);
        w.WriteBoolean("available", report is not null);
        if (cluster?.Error is { } error) w.WriteString("error", error);
        else w.WriteNull("error");
        if (cluster is { Report: not null }) w.WriteNumber("ageMs", Math.Round(_time.GetElapsedTime(cluster.ReadAt).TotalMilliseconds));
        else w.WriteNull("ageMs");
        w.WriteNumber("deadSilos", report?.DeadSilos ?? 0);
        if (_cluster?.LocalSilo is { } local) w.WriteString("localSilo", local);
        else w.WriteNull("localSilo");
        w.WriteEndObject();

        WriteGrains(w, s, report, messages, decisions, before, seconds, turns);

        w.WriteStartObject("networkStep");
        Ms(w, "p50", steps.Interval.P50);
        Ms(w, "p99", steps.Interval.P99);
        Ms(w, "allP50", steps.Total.P50);
        Ms(w, "allP99", steps.Total.P99);
        w.WriteNumber("steps", s.NetworkSteps);
        w.WriteEndObject();

        w.WriteStartArray("silos");
        bool localWritten = false;
        if (report is not null)
        {
            foreach (var silo in report.Silos)
            {
                bool isLocal = silo.Address == _cluster!.LocalSilo;
                localWritten |= isLocal;
                WriteSilo(w, silo, cluster!.Rates.GetValueOrDefault(silo.Address), isLocal ? (now, before, seconds, eventsPerSec, s.Backend) : null);
            }
        }

        // Without Orleans' statistics, or with a silo in this process that the membership table did not list: this process's own row.
        if (!localWritten && (report is null || _cluster?.LocalSilo is not null))
            WriteSilo(w, new ClusterSilo(_cluster?.LocalSilo ?? "", "this process", Environment.MachineName, "", default, null, null), default, (now, before, seconds, eventsPerSec, s.Backend));
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteGrains(Utf8JsonWriter w, SiloStatistics s, ClusterReport? report, long messages, long decisions, Previous? before, double seconds, DurationSnapshot turns)
    {
        var classes = DashboardGrainTypes.Known.Select(k => k.Class).ToList();
        if (report is not null)
            classes.AddRange(report.GrainTypes.Select(t => t.GrainClass).Distinct().Where(c => !classes.Contains(c)).Order(StringComparer.Ordinal));
        w.WriteStartArray("grains");
        foreach (var grainClass in classes)
        {
            var (name, purpose) = DashboardGrainTypes.Describe(grainClass);
            w.WriteStartObject();
            w.WriteString("type", name);
            w.WriteString("class", grainClass);
            w.WriteString("purpose", purpose);
            if (report is null)
            {
                w.WriteNull("activations");
            }
            else
            {
                long total = 0;
                foreach (var t in report.GrainTypes)
                {
                    if (t.GrainClass == grainClass) total += t.Activations;
                }
                w.WriteNumber("activations", total);
            }

            w.WriteStartArray("silos");
            if (report is not null)
            {
                foreach (var t in report.GrainTypes)
                {
                    if (t.GrainClass != grainClass) continue;
                    w.WriteStartObject();
                    w.WriteString("silo", t.Silo);
                    w.WriteNumber("activations", t.Activations);
                    w.WriteEndObject();
                }
            }
            w.WriteEndArray();

            // The gateway's own rates and turn times where it has them: events handed to user grains, decisions of trigger grains.
            if (name == "user") Rate(w, "messagesPerSec", messages, before is null ? messages : Total(before.Statistics.EventsByStatus), seconds);
            else if (name == "trigger") Rate(w, "messagesPerSec", decisions, before is null ? decisions : before.Statistics.OffersFired + Total(before.Statistics.SuppressionsByReason), seconds);
            else w.WriteNull("messagesPerSec");
            bool user = name == "user";
            Ms(w, "turnP50", user ? turns.Interval.P50 : double.NaN);
            Ms(w, "turnP99", user ? turns.Interval.P99 : double.NaN);
            Ms(w, "allTurnP50", user ? turns.Total.P50 : double.NaN);
            Ms(w, "allTurnP99", user ? turns.Total.P99 : double.NaN);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteSilo(Utf8JsonWriter w, ClusterSilo silo, MessageRates rates, (Previous Now, Previous? Before, double Seconds, double? EventsPerSec, string? Backend)? local)
    {
        w.WriteStartObject();
        if (silo.Address.Length == 0) w.WriteNull("address");
        else w.WriteString("address", silo.Address);
        w.WriteString("name", silo.Name);
        w.WriteString("host", silo.HostName);
        if (silo.Status.Length == 0) w.WriteNull("status");
        else w.WriteString("status", silo.Status);
        w.WriteBoolean("local", local is not null);
        var r = silo.Runtime;
        if (silo.StartedAt == default) w.WriteNull("startedAt");
        else w.WriteNumber("startedAt", new DateTimeOffset(silo.StartedAt).ToUnixTimeMilliseconds());
        if (r is null || silo.StartedAt == default) w.WriteNull("uptimeSeconds");
        else w.WriteNumber("uptimeSeconds", Math.Round(Math.Max(0, (r.TakenAt - silo.StartedAt).TotalSeconds)));
        if (r is null)
        {
            foreach (var field in (ReadOnlySpan<string>)["activations", "recentlyUsedActivations", "cpuPercent", "memoryBytes", "maximumMemoryBytes", "clients", "overloaded"])
                w.WriteNull(field);
        }
        else
        {
            w.WriteNumber("activations", r.Activations);
            w.WriteNumber("recentlyUsedActivations", r.RecentlyUsedActivations);
            w.WriteNumber("cpuPercent", Math.Round(r.CpuPercent, 3));
            w.WriteNumber("memoryBytes", r.MemoryUsageBytes);
            w.WriteNumber("maximumMemoryBytes", r.MaximumMemoryBytes);
            w.WriteNumber("clients", r.Clients);
            w.WriteBoolean("overloaded", r.Overloaded);
        }
        Nullable(w, "messagesReceivedPerSec", rates.ReceivedPerSec);
        Nullable(w, "messagesSentPerSec", rates.SentPerSec);
        if (silo.Error is { } error) w.WriteString("error", error);
        else w.WriteNull("error");
        // The silo's own counters (its report grain): events its user grains handled, and user grains active there.
        if (silo.Report is { } report)
        {
            w.WriteNumber("eventsHandled", report.EventsHandled);
            w.WriteNumber("eventsAccepted", report.EventsAccepted);
            w.WriteNumber("userGrains", report.UserGrains);
        }
        else
        {
            w.WriteNull("eventsHandled");
            w.WriteNull("eventsAccepted");
            w.WriteNull("userGrains");
        }

        if (local is { } l)
        {
            // The gateway's own numbers of the silo in this process (the report grain's rate where the process has none yet).
            Nullable(w, "eventsPerSec", l.EventsPerSec ?? rates.EventsPerSec);
            if (l.Backend is { } backend) w.WriteString("backend", backend);
            else w.WriteNull("backend");
            w.WriteStartObject("process");
            w.WriteNumber("cores", Environment.ProcessorCount);
            w.WriteNumber("cpuSeconds", Math.Round(l.Now.Cpu.TotalSeconds, 3));
            if (l.Before is null || l.Seconds <= 0) w.WriteNull("cpuPercentOfOneCore");
            else w.WriteNumber("cpuPercentOfOneCore", Math.Round(100 * (l.Now.Cpu - l.Before.Cpu).TotalSeconds / l.Seconds, 3));
            w.WriteNumber("workingSetBytes", Environment.WorkingSet);
            w.WriteNumber("heapBytes", GC.GetTotalMemory(false));
            w.WriteStartArray("gcCounts");
            for (int g = 0; g <= GC.MaxGeneration; g++) w.WriteNumberValue(GC.CollectionCount(g));
            w.WriteEndArray();
            w.WriteNumber("gcPauseMs", Math.Round(l.Now.GcPause.TotalMilliseconds, 3));
            if (l.Before is null || l.Seconds <= 0) w.WriteNull("gcPausePercent");
            else w.WriteNumber("gcPausePercent", Math.Round(100 * (l.Now.GcPause - l.Before.GcPause).TotalSeconds / l.Seconds, 3));
            w.WriteNumber("threads", ThreadPool.ThreadCount);
            w.WriteEndObject();
        }
        else
        {
            // A silo in another process: events/s from its report grain's counts between two readings.
            Nullable(w, "eventsPerSec", rates.EventsPerSec);
            w.WriteNull("backend");
            w.WriteNull("process");
        }
        w.WriteEndObject();
    }

    private static void Nullable(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v)) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }


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

    private sealed record Durations(DurationSnapshot Latency, DurationSnapshot Turns, DurationSnapshot Steps);

    private sealed record Previous(SiloStatistics Statistics, long Timestamp, TimeSpan Cpu, TimeSpan GcPause);

    /// <summary>The last reading of the cluster (null report: none succeeded yet), the last error, when it was read, and the message rates per silo.</summary>
    private sealed record ClusterReading(ClusterReport? Report, string? Error, long ReadAt, IReadOnlyDictionary<string, MessageRates> Rates);

    private readonly record struct MessageRates(double? ReceivedPerSec, double? SentPerSec, double? EventsPerSec);

    private sealed class Watcher(DashboardSampler sampler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) Interlocked.Decrement(ref sampler._watchers);
        }
    }
}
