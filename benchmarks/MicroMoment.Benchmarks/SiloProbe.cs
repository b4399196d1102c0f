using System.Diagnostics;
using System.Globalization;
using MicroMoment.Data;
using MicroMoment.Events;
using MicroMoment.Scoring;
using MicroMoment.Silo;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Orleans.Hosting;

namespace MicroMoment.Benchmarks;

/// <summary>
/// Stopwatch probes of the embedded silo with the bundled model: events per second through partitions and grains
/// (the REES46 sample replayed with remapped user ids), and memory per live user grain.
/// Usage: <c>silo-probe throughput [--replicas N] [--call N] [--inflight N] [--rounds N] [--persist|--every-event] [--backend simd|onnx-cpu] [--batch N] [--no-batch-yield] [--per-event] [--trace-sample-ratios 0,0.01,1]</c>,
/// <c>silo-probe memory [--users N]</c>.
/// </summary>
public static class SiloProbe
{
    /// <summary>Runs the probe named by <paramref name="args"/>[0].</summary>
    public static void Run(string[] args)
    {
        string mode = args.Length > 0 ? args[0] : "throughput";
        var model = MicroMomentModel.Load(Path.Combine(RepositoryRoot(), "models", "default", "model.mmm"));
        switch (mode)
        {
            case "throughput":
                Throughput(model, args).GetAwaiter().GetResult();
                break;
            case "memory":
                Memory(model, args).GetAwaiter().GetResult();
                break;
            default:
                throw new ArgumentException($"Unknown silo probe '{mode}'; expected 'throughput' or 'memory'.");
        }
    }

    private static async Task Throughput(MicroMomentModel model, string[] args)
    {
        int replicas = Option(args, "--replicas", 20);
        int callSize = Option(args, "--call", 16_384);
        int inflight = Option(args, "--inflight", 4);
        int rounds = Option(args, "--rounds", 5);
        bool persist = args.Contains("--persist") || args.Contains("--every-event");
        var durability = args.Contains("--every-event") ? Durability.EveryEvent : Durability.Checkpoint;

        var sample = Rees46CsvReader.Read(Rees46Path(), new IngestReport()).ToArray();
        // Replica r of user u is "u#r": file order per user is kept, and many users interleave in every call.
        var userIds = sample.Select(e => e.UserId).Distinct().ToDictionary(u => u, u => Enumerable.Range(0, replicas).Select(r => $"{u}#{r}").ToArray());
        var events = new ClickEvent[sample.Length * replicas];
        for (int i = 0, k = 0; i < sample.Length; i++)
        {
            for (int r = 0; r < replicas; r++) events[k++] = sample[i] with { UserId = userIds[sample[i].UserId][r] };
        }

        var calls = events.Chunk(callSize).ToArray();
        string? dir = persist ? Path.Combine(Path.GetTempPath(), "mm-silo-probe-" + Guid.NewGuid().ToString("N")) : null;
        var options = new SiloOptions { DataDirectory = dir, Durability = durability, QueueCapacity = callSize * inflight, BatchYield = !args.Contains("--no-batch-yield"), Backend = StringOption(args, "--backend") ?? "simd", BatchSize = Option(args, "--batch", 512), PerEventSteps = args.Contains("--per-event") };
        Console.WriteLine($"Silo throughput: {events.Length:N0} events ({sample.Length:N0} REES46 rows x {replicas}), {userIds.Count * replicas:N0} users, calls of {callSize:N0}, {inflight} in flight, persistence {(persist ? $"SQLite, {durability}" : "off")}, executor {options.Backend} ({(options.PerEventSteps ? "per event: each grain steps its own event, batches of one" : $"batches up to {options.BatchSize}, {(options.BatchYield ? "yield before a partial batch" : "no yield")}")}), {Environment.ProcessorCount} cores, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC");
        // --trace-sample-ratios 0,0.01,1: every round runs once per ratio (a tracer sampling that share, spans handed to a
        // batch exporter that discards them); the silo propagates activities through grain calls in all of them.
        double[]? traceRatios = StringOption(args, "--trace-sample-ratios")?.Split(',').Select(r => double.Parse(r, CultureInfo.InvariantCulture)).ToArray();
        await using var silo = await EmbeddedSilo.StartAsync(model, options, configure: traceRatios is null ? null : s => s.AddActivityPropagation());
        await Ceiling(silo, rounds);
        var rates = new List<double>();
        var traced = new Dictionary<double, List<(double Rate, double CpuMicroseconds)>>();
        // With ratios, the first pass over them warms up (activations, JIT) and is not counted.
        for (int round = 0; round < (traceRatios is null ? rounds : (rounds + 1) * traceRatios.Length); round++)
        {
            double? ratio = traceRatios?[round % traceRatios.Length];
            var exporter = new DiscardingExporter();
            using var tracer = ratio > 0
                ? OpenTelemetry.Sdk.CreateTracerProviderBuilder()
                    .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(ratio.Value)))
                    .AddSource(MicroMomentActivities.SourceName, "Microsoft.Orleans.Application")
                    .AddProcessor(new BatchActivityExportProcessor(exporter))
                    .Build()
                : null;
            var cpuBefore = Environment.CpuUsage.TotalTime;
            var before = silo.GetStatistics();
            long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            int gen0Before = GC.CollectionCount(0), gen2Before = GC.CollectionCount(2);
            var sw = Stopwatch.StartNew();
            var pending = new Queue<ValueTask<IReadOnlyList<IngestOutcome>>>();
            long refused = 0;
            foreach (var call in calls)
            {
                if (pending.Count >= inflight) refused += Count(await pending.Dequeue());
                pending.Enqueue(silo.IngestAsync(call));
            }

            while (pending.Count > 0) refused += Count(await pending.Dequeue());
            sw.Stop();
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            int gen0 = GC.CollectionCount(0) - gen0Before, gen2 = GC.CollectionCount(2) - gen2Before;
            var after = silo.GetStatistics();
            long accepted = after.EventsAccepted - before.EventsAccepted;
            double rate = accepted / sw.Elapsed.TotalSeconds;
            rates.Add(rate);
            double cpu = (Environment.CpuUsage.TotalTime - cpuBefore).TotalMicroseconds / Math.Max(1, accepted);
            if (ratio is { } r && round >= traceRatios!.Length)
            {
                tracer?.ForceFlush();
                if (!traced.TryGetValue(r, out var list)) traced[r] = list = [];
                list.Add((rate, cpu));
                Console.Write($"  trace sample ratio {r}: {exporter.Exported:N0} spans exported, CPU {cpu:F2} µs/event;");
            }

            double meanRows = (after.NetworkRows - before.NetworkRows) / (double)Math.Max(1, after.NetworkSteps - before.NetworkSteps);
            Console.WriteLine($"  round {round + 1}: {accepted:N0} accepted in {sw.Elapsed.TotalSeconds:F2} s = {rate:N0} events/s; not accepted {refused:N0}; mean batch {meanRows:F1}; live grains {after.LiveActivations:N0}; unwritten changes {after.PendingWrites:N0}; writes {after.WritesCommitted - before.WritesCommitted:N0}; offers {after.OffersFired - before.OffersFired:N0}; allocated {allocated / (double)events.Length:N0} B/event; GCs gen0 {gen0}, gen2 {gen2}");
        }

        if (persist)
        {
            var sw = Stopwatch.StartNew();
            await silo.FlushAsync();
            Console.WriteLine($"  final flush {sw.Elapsed.TotalSeconds:F2} s; writes {silo.GetStatistics().WritesCommitted:N0}; {DescribeStateFile(silo.StatePath!)}");
        }

        if (traceRatios is not null)
        {
            var baseline = traced.GetValueOrDefault(0);
            double Median(IEnumerable<double> values) => values.Order().ElementAt(values.Count() / 2);
            foreach (var (r, list) in traced)
            {
                double medianRate = Median(list.Select(x => x.Rate)), medianCpu = Median(list.Select(x => x.CpuMicroseconds));
                string versus = baseline is null || r == 0 ? "" : $"; vs off: throughput {medianRate / Median(baseline.Select(x => x.Rate)):P1}, CPU per event {medianCpu / Median(baseline.Select(x => x.CpuMicroseconds)) - 1:+0.0%;-0.0%}";
                Console.WriteLine($"Trace sample ratio {r}: median {medianRate:N0} events/s, median CPU {medianCpu:F2} µs/event over {list.Count} rounds{versus}");
            }
        }

        rates.Sort();
        var stats = silo.GetStatistics();
        Console.WriteLine($"Median {rates[rates.Count / 2]:N0} events/s (min {rates[0]:N0}, max {rates[^1]:N0}); accepted {stats.EventsAccepted:N0}");
        await silo.DisposeAsync();
        if (dir is not null) Directory.Delete(dir, recursive: true);

        static long Count(IReadOnlyList<IngestOutcome> outcomes)
        {
            long n = 0;
            foreach (var o in outcomes) if (o.Status != IngestStatus.Accepted) n++;
            return n;
        }
    }

    /// <summary>The ceiling: calls/s of an empty grain method on the same silo, 4,000 calls in flight from 4,000 callers.</summary>
    private static async Task Ceiling(EmbeddedSilo silo, int rounds)
    {
        const int callers = 4_000, total = 1_000_000;
        var grains = Enumerable.Range(0, callers).Select(i => silo.GrainFactory.GetGrain<IProbeGrain>($"probe-{i}")).ToArray();
        await Task.WhenAll(grains.Select(g => g.PingAsync())); // activate them
        var rates = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            int next = 0;
            var sw = Stopwatch.StartNew();
            await Task.WhenAll(grains.Select(async g =>
            {
                while (Interlocked.Increment(ref next) <= total) await g.PingAsync();
            }));
            sw.Stop();
            rates.Add(total / sw.Elapsed.TotalSeconds);
        }

        Console.WriteLine($"  ceiling (empty grain call, {callers:N0} in flight): {string.Join(", ", rates.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)))} calls/s; median {rates.Order().ElementAt(rates.Count / 2):N0}");
    }

    private static async Task Memory(MicroMomentModel model, string[] args)
    {
        int users = Option(args, "--users", 1_000_000);
        const int callSize = 16_384;
        var start = new DateTime(2019, 10, 1, 10, 0, 0, DateTimeKind.Utc);
        await using var silo = await EmbeddedSilo.StartAsync(model, new SiloOptions { QueueCapacity = callSize });
        // Warm-up on other users, then forget them, so executor buffers and JIT are not counted.
        await silo.IngestAsync([.. Enumerable.Range(0, 1_000).Select(i => Make($"warm-{i}", i))]);
        await silo.EraseAllWarmUp(1_000);
        long before = GC.GetTotalMemory(forceFullCollection: true);
        var sw = Stopwatch.StartNew();
        for (int first = 0; first < users; first += callSize)
        {
            var call = new ClickEvent[Math.Min(callSize, users - first)];
            for (int i = 0; i < call.Length; i++) call[i] = Make(string.Create(CultureInfo.InvariantCulture, $"user-{first + i}"), first + i);
            var outcomes = await silo.IngestAsync(call);
            if (outcomes.Any(o => o.Status != IngestStatus.Accepted)) throw new InvalidOperationException("An event was not accepted; the measurement would be wrong.");
        }

        sw.Stop();
        long after = GC.GetTotalMemory(forceFullCollection: true);
        var stats = silo.GetStatistics();
        Console.WriteLine($"Activating {users:N0} new users (one event each, events built on the fly): {sw.Elapsed.TotalSeconds:F2} s = {users / sw.Elapsed.TotalSeconds:N0} activations/s");
        Console.WriteLine($"Memory: {stats.LiveActivations:N0} live user grains (each with its trigger grain when an offer rule was reached), {(after - before) / (1024.0 * 1024):N1} MiB => {(after - before) / (double)users:N0} bytes per shopper, Orleans' activations included (model state {model.Network.StateSize * 4} bytes of LSTM state)");
        long state = Allocated(() => new MicroMoment.Silo.Grains.UserState { Network = new float[model.Network.StateSize], Timeline = new MicroMoment.Silo.Grains.TimelineEntry[1] });
        long key = Allocated(() => string.Create(CultureInfo.InvariantCulture, $"default/user-{users - 1}"));
        Console.WriteLine($"  of which our own: UserState with its LSTM state and a 1-event timeline {state} B (SessionFeatureState {MicroMoment.Features.SessionFeatureState.SizeInBytes} inline), grain key string {key} B; the rest ({(after - before) / (double)users - state - key:N0} B) is Orleans' activation, grain references, the trigger grain and the silo's registries");
        GC.KeepAlive(silo);

        ClickEvent Make(string user, int i) => new(ClickEvent.DefaultTenant, user, start.AddSeconds(i % 3600), EventType.View, 1000 + i % 5000, 2053013555631882655, "electronics.smartphone", "acme", 99.5f);
    }

    private static long Allocated(Func<object> create)
    {
        create();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var made = create();
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(made);
        return bytes;
    }

    private static async Task EraseAllWarmUp(this EmbeddedSilo silo, int count)
    {
        for (int i = 0; i < count; i++) await silo.EraseUserAsync(ClickEvent.DefaultTenant, $"warm-{i}");
    }

    private static string DescribeStateFile(string path)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), AVG(LENGTH(state)), MAX(LENGTH(state)) FROM grain_state";
        using var reader = command.ExecuteReader();
        reader.Read();
        return $"{reader.GetInt64(0):N0} rows, state {reader.GetDouble(1):N0} bytes on average (max {reader.GetInt64(2):N0}), file {new FileInfo(path).Length / (1024.0 * 1024):N1} MiB";
    }

    internal static int Option(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    internal static string? StringOption(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    internal static string RepositoryRoot() => MicroMoment.Testing.RepositoryLayout.Root;

    internal static string Rees46Path() => MicroMoment.Testing.RepositoryLayout.SharedData("rees46/2019-Oct-head.csv.gz", "silo-probe");
}
