using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using MicroMoment.Data;
using MicroMoment.Events;
using MicroMoment.Gateway;
using MicroMoment.Gateway.Metrics;
using MicroMoment.Gateway.Telemetry;
using MicroMoment.Scoring;
using MicroMoment.Silo;
using MicroMoment.Silo.Monitoring;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace MicroMoment.Benchmarks;

/// <summary>
/// What metrics cost. <c>metrics-probe cost [--rounds N] [--replicas N] [--without-orleans]</c>: one embedded silo, the REES46 sample
/// replayed in rounds that alternate between no metrics listener and an OpenTelemetry meter provider collecting the
/// project's and Orleans' meters every second (what /metrics scrapes and OTLP pushes cost), events/s and process CPU per
/// event for each. <c>metrics-probe scrape [--users N] [--scrapes N]</c>: a gateway in front of a silo holding N live
/// shoppers, GET /metrics timed N times. <c>metrics-probe record</c>: nanoseconds per histogram record with and without
/// OpenTelemetry listening.
/// </summary>
public static class MetricsProbe
{
    /// <summary>Runs the probe named by <paramref name="args"/>[0].</summary>
    public static void Run(string[] args)
    {
        string mode = args.Length > 0 ? args[0] : "cost";
        var model = MicroMomentModel.Load(Path.Combine(Root(), "models", "default", "model.mmm"));
        switch (mode)
        {
            case "cost":
                Cost(model, Option(args, "--rounds", 5), Option(args, "--replicas", 20), !args.Contains("--without-orleans")).GetAwaiter().GetResult();
                break;
            case "record":
                Record(Option(args, "--rounds", 5));
                break;
            case "scrape":
                Scrape(model, Option(args, "--users", 100_000), Option(args, "--scrapes", 7)).GetAwaiter().GetResult();
                break;
            default:
                throw new ArgumentException($"Unknown metrics probe '{mode}'; expected 'cost' or 'scrape'.");
        }
    }

    private static async Task Cost(MicroMomentModel model, int rounds, int replicas, bool orleans)
    {
        const int callSize = 16_384, inflight = 4;
        var sample = Rees46CsvReader.Read(MicroMoment.Testing.RepositoryLayout.SharedData("rees46/2019-Oct-head.csv.gz", "metrics-probe"), new IngestReport()).ToArray();
        var calls = new List<ClickEvent[]>();
        var events = new ClickEvent[sample.Length * replicas];
        for (int i = 0, k = 0; i < sample.Length; i++)
        {
            for (int r = 0; r < replicas; r++) events[k++] = sample[i] with { UserId = $"{sample[i].UserId}#{r}" };
        }

        calls.AddRange(events.Chunk(callSize));
        await using var silo = await EmbeddedSilo.StartAsync(model, new SiloOptions { QueueCapacity = callSize * inflight });
        Console.WriteLine($"Metrics cost: {events.Length:N0} events per round, calls of {callSize:N0}, {inflight} in flight, {Environment.ProcessorCount} cores; rounds alternate off/on, {rounds} each, after one warm-up round; on = the project's meters{(orleans ? " and Orleans'" : " only")}");
        await Round(silo, calls, inflight); // warm-up: JIT, activations
        var off = new List<(double Rate, double CpuMicros)>();
        var on = new List<(double Rate, double CpuMicros)>();
        for (int round = 0; round < rounds; round++)
        {
            foreach (bool collect in new[] { round % 2 == 0, round % 2 != 0 })
            {
                using var provider = collect
                    ? Sdk.CreateMeterProviderBuilder().AddMeter([GatewayMetrics.MeterName, .. SiloMeters.All, .. orleans ? [MetricsServiceCollectionExtensions.OrleansMeter] : Array.Empty<string>()])
                        .AddReader(new PeriodicExportingMetricReader(new DiscardingExporter(), 1000)).Build()
                    : null;
                var result = await Round(silo, calls, inflight);
                (collect ? on : off).Add(result);
                Console.WriteLine($"  round {round + 1} metrics {(collect ? "on " : "off")}: {result.Rate:N0} events/s, {result.CpuMicros:F2} µs CPU per event");
            }
        }

        double offRate = Median(off.Select(r => r.Rate)), onRate = Median(on.Select(r => r.Rate));
        double offCpu = Median(off.Select(r => r.CpuMicros)), onCpu = Median(on.Select(r => r.CpuMicros));
        Console.WriteLine($"Median off {offRate:N0} events/s, {offCpu:F2} µs CPU/event; on {onRate:N0} events/s, {onCpu:F2} µs CPU/event; events/s on/off {onRate / offRate:P1}, CPU/event on/off {onCpu / offCpu:P1}");
    }

    private static async Task<(double Rate, double CpuMicros)> Round(EmbeddedSilo silo, List<ClickEvent[]> calls, int inflight)
    {
        long answered = 0;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var pending = new Queue<ValueTask<IReadOnlyList<IngestOutcome>>>();
        foreach (var call in calls)
        {
            if (pending.Count >= inflight) answered += (await pending.Dequeue()).Count;
            pending.Enqueue(silo.IngestAsync(call));
        }

        while (pending.Count > 0) answered += (await pending.Dequeue()).Count;
        sw.Stop();
        double cpuMicros = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds;
        return (answered / sw.Elapsed.TotalSeconds, cpuMicros / answered);
    }

    /// <summary>Nanoseconds per histogram record on one thread, with no listener and with OpenTelemetry aggregating (explicit buckets), medians over rounds.</summary>
    private static void Record(int rounds)
    {
        const int n = 10_000_000;
        using var meter = new System.Diagnostics.Metrics.Meter("MicroMoment.Probe");
        var histogram = meter.CreateHistogram<double>("probe.duration", "s", null, null, new System.Diagnostics.Metrics.InstrumentAdvice<double> { HistogramBucketBoundaries = SiloMeters.LatencyBounds });
        double Time()
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < n; i++) histogram.Record((i & 1023) * 1e-5);
            return sw.Elapsed.TotalNanoseconds / n;
        }

        var off = new List<double>();
        var on = new List<double>();
        Time();
        for (int round = 0; round < rounds; round++)
        {
            off.Add(Time());
            using var provider = Sdk.CreateMeterProviderBuilder().AddMeter("MicroMoment.Probe").AddReader(new PeriodicExportingMetricReader(new DiscardingExporter(), 1000)).Build();
            on.Add(Time());
        }

        Console.WriteLine($"Histogram record: {Median(off):F1} ns with no listener, {Median(on):F1} ns with OpenTelemetry aggregating ({rounds} rounds of {n:N0}; medians)");
    }

    private static async Task Scrape(MicroMomentModel model, int users, int scrapes)
    {
        const int callSize = 16_384;
        const string key = "mm_sk_metrics_probe_0123456789abcdef";
        await using var silo = await EmbeddedSilo.StartAsync(model, new SiloOptions { QueueCapacity = callSize });
        await using var gateway = await GatewayHost.StartAsync(silo, o =>
        {
            o.Urls = "http://127.0.0.1:0";
            o.Keys = [new GatewayKey { Key = key, Tenant = ClickEvent.DefaultTenant, Kind = GatewayKeyKind.Server }];
        });
        var start = new DateTime(2019, 10, 1, 10, 0, 0, DateTimeKind.Utc);
        for (int first = 0; first < users; first += callSize)
        {
            var call = new ClickEvent[Math.Min(callSize, users - first)];
            for (int i = 0; i < call.Length; i++)
                call[i] = new ClickEvent(ClickEvent.DefaultTenant, string.Create(CultureInfo.InvariantCulture, $"user-{first + i}"), start.AddSeconds((first + i) % 3600), EventType.View, 1000 + i % 5000, 2053013555631882655, "electronics.smartphone", "acme", 99.5f);
            await silo.IngestAsync(call);
        }

        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        await http.GetStringAsync("/metrics"); // warm-up
        var times = new List<double>();
        int bytes = 0;
        for (int i = 0; i < scrapes; i++)
        {
            var sw = Stopwatch.StartNew();
            var body = await http.GetByteArrayAsync("/metrics");
            sw.Stop();
            times.Add(sw.Elapsed.TotalMilliseconds);
            bytes = body.Length;
        }

        var statistics = silo.GetStatistics();
        Console.WriteLine($"/metrics with {statistics.LiveActivations:N0} live shoppers: median {Median(times):F1} ms (min {times.Min():F1}, max {times.Max():F1}) over {scrapes} scrapes, {bytes:N0} bytes");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string Root() => MicroMoment.Testing.RepositoryLayout.Root;

    private sealed class DiscardingExporter : BaseExporter<Metric>
    {
        public override ExportResult Export(in Batch<Metric> batch) => ExportResult.Success;
    }
}
