using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MicroMoment.Client;
using MicroMoment.Data;
using MicroMoment.Events;

namespace MicroMoment.Benchmarks;

/// <summary>
/// Throughput of a real cluster: Azurite (membership and grain state), N <c>micromoment silo</c> processes and one
/// <c>micromoment gateway</c>, REES46 replayed through the gateway by the .NET client on concurrent lanes (a shopper's
/// events stay in one lane, in order; each pass over the sample moves its timestamps 3 h on, so the same shoppers keep
/// going). After a warm-up (the first pass, then --warmup seconds), one window counts acknowledged events and the CPU time of every process from /proc/&lt;pid&gt;/stat.
/// Settings alternate (1, 2, 3, 1, 2, 3 …) so slow periods of a shared machine spread over all of them.
/// Usage: <c>cluster-probe [--silos 1,2,3] [--rounds 2] [--rows N (first N rows of the sample; default all)] [--warmup 15] [--seconds 45] [--lanes 16] [--batch 50]
/// [--durability checkpoint|every-event] [--program path/to/micromoment.dll] [--csv file]</c>.
/// </summary>
public static class ClusterProbe
{
    private const string ServerKey = "sk_cluster_probe_0123456789abcdef";
    private static readonly TimeSpan PassShift = TimeSpan.FromHours(3);
    private static readonly double TicksPerSecond = ClockTicks();

    /// <summary>Runs every setting <c>--rounds</c> times, prints a table and the medians, and writes a CSV.</summary>
    public static int Run(string[] args)
    {
        int[] siloCounts = (SiloProbe.StringOption(args, "--silos") ?? "1,2,3").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        int rounds = SiloProbe.Option(args, "--rounds", 2);
        var settings = new Settings(
            TimeSpan.FromSeconds(SiloProbe.Option(args, "--warmup", 15)),
            TimeSpan.FromSeconds(SiloProbe.Option(args, "--seconds", 45)),
            SiloProbe.Option(args, "--lanes", 16),
            SiloProbe.Option(args, "--batch", 50),
            SiloProbe.StringOption(args, "--durability") ?? "checkpoint",
            Path.GetFullPath(SiloProbe.StringOption(args, "--program") ?? Path.Combine(SiloProbe.RepositoryRoot(), "artifacts", "bin", "MicroMoment.Cli", "release", "micromoment.dll")),
            Path.Combine(SiloProbe.RepositoryRoot(), "tools", "azurite", "start.sh"));
        string csv = Path.GetFullPath(SiloProbe.StringOption(args, "--csv") ?? $"cluster-probe-{DateTime.UtcNow:yyyyMMdd-HHmmss}.csv");
        if (siloCounts.Length == 0 || siloCounts.Any(n => n < 1)) throw new ArgumentException("--silos takes silo counts of 1 or more, e.g. 1,2,3.");
        if (!File.Exists(settings.Program)) throw new FileNotFoundException($"The program is not built at '{settings.Program}'; run 'dotnet build src/MicroMoment.Cli -c Release' or pass --program.", settings.Program);
        if (!File.Exists(settings.AzuriteScript)) throw new FileNotFoundException($"tools/azurite/start.sh is missing at '{settings.AzuriteScript}'.", settings.AzuriteScript);

        int rows = SiloProbe.Option(args, "--rows", int.MaxValue);
        var sample = Rees46CsvReader.Read(SiloProbe.Rees46Path(), new IngestReport()).Take(rows).ToArray();
        var lanes = sample.Select((e, i) => (Event: e, Row: i))
            .GroupBy(x => (uint)StringComparer.Ordinal.GetHashCode(x.Event.UserId) % (uint)settings.Lanes)
            .Select(g => g.Select(x => ToShopperEvent(x.Event, x.Row)).ToArray())
            .ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Cluster probe: silos {string.Join(',', siloCounts)} x {rounds} rounds (alternating), warm-up {settings.Warmup.TotalSeconds:0} s, window {settings.Window.TotalSeconds:0} s, {settings.Lanes} lanes, batches of {settings.Batch}, durability {settings.Durability}, grain state and membership in Azurite; REES46 {sample.Length:N0} rows, {sample.Select(e => e.UserId).Distinct().Count():N0} shoppers; {Environment.ProcessorCount} cores"));

        var results = new List<Result>();
        int run = 0;
        for (int round = 1; round <= rounds; round++)
        {
            foreach (int silos in siloCounts)
            {
                run++;
                Progress($"run {run}/{rounds * siloCounts.Length}: {silos} silo(s), round {round}");
                var result = RunOnceAsync(silos, round, settings, lanes).GetAwaiter().GetResult();
                results.Add(result);
                Progress(Row(result));
            }
        }

        Console.WriteLine();
        Console.WriteLine(Header());
        foreach (var r in results) Console.WriteLine(Row(r));
        Console.WriteLine();
        Console.WriteLine("Medians per setting:");
        Console.WriteLine("silos  runs  events/s  cpu ms/event (silos+gateway)  cpu ms/event (with Azurite)  load1 at start");
        foreach (var group in results.GroupBy(r => r.Silos).OrderBy(g => g.Key))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{group.Key,5}  {group.Count(),4}  {Median(group.Select(r => r.EventsPerSecond)),8:0}  {Median(group.Select(r => r.CpuMsPerEvent)),28:0.000}  {Median(group.Select(r => r.CpuMsPerEventWithStorage)),27:0.000}  {string.Join(' ', group.Select(r => r.LoadAtStart.ToString("0.00", CultureInfo.InvariantCulture)))}"));
        }

        File.WriteAllText(csv, Csv(results));
        Console.WriteLine($"CSV: {csv}");
        return 0;
    }

    private static async Task<Result> RunOnceAsync(int siloCount, int round, Settings settings, ShopperEvent[][] lanes)
    {
        string dir = Path.Combine(Path.GetTempPath(), "mm-cluster-probe-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        var processes = new List<Child>();
        int? azuritePid = null;
        try
        {
            string connection = await StartAzuriteAsync(settings.AzuriteScript, Path.Combine(dir, "azurite")).ConfigureAwait(false);
            azuritePid = int.Parse(File.ReadAllText(Path.Combine(dir, "azurite", "azurite.pid")).Trim(), CultureInfo.InvariantCulture);
            var common = new Dictionary<string, string>
            {
                ["MICROMOMENT__Cluster__Provider"] = "azure",
                ["MICROMOMENT__Cluster__ConnectionString"] = connection,
                ["MICROMOMENT__Cluster__ClusterId"] = "probe-" + Guid.NewGuid().ToString("N")[..8],
                ["MICROMOMENT__Cluster__AdvertisedAddress"] = "127.0.0.1",
                ["MICROMOMENT__Storage__Provider"] = "azure",
                ["MICROMOMENT__Silo__Durability"] = settings.Durability,
            };

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var clock = Stopwatch.StartNew();
            var siloHttp = new List<Uri>();
            for (int i = 0; i < siloCount; i++)
            {
                int httpPort = FreePort();
                processes.Add(Child.Start($"silo{i}", settings.Program, "silo", common,
                    $"--Cluster:SiloPort={FreePort()}", $"--Cluster:GatewayPort={FreePort()}", $"--Silo:Urls=http://127.0.0.1:{httpPort}"));
                siloHttp.Add(new Uri($"http://127.0.0.1:{httpPort}/"));
            }

            for (int i = 0; i < siloCount; i++) await WaitReadyAsync(http, processes[i], siloHttp[i], TimeSpan.FromSeconds(120)).ConfigureAwait(false);
            int gatewayPort = FreePort();
            var gatewayEnvironment = new Dictionary<string, string>(common) { ["MICROMOMENT_SERVER_KEY"] = ServerKey };
            var gateway = Child.Start("gateway", settings.Program, "gateway", gatewayEnvironment,
                $"--Gateway:Urls=http://127.0.0.1:{gatewayPort}", "--Gateway:MaxEventAge=",
                "--Gateway:ServerRateLimit:PerSecond=10000000", "--Gateway:ServerRateLimit:Burst=10000000", "--Gateway:NewShoppersPerKeyPerMinute=10000000");
            processes.Add(gateway);
            var gatewayUri = new Uri($"http://127.0.0.1:{gatewayPort}/");
            await WaitReadyAsync(http, gateway, gatewayUri, TimeSpan.FromSeconds(90)).ConfigureAwait(false);
            Progress(string.Create(CultureInfo.InvariantCulture, $"  {siloCount} silo(s) and the gateway ready after {clock.Elapsed.TotalSeconds:0.0} s; replaying"));

            using var client = new MicroMomentClient(gatewayUri, ServerKey, new HttpClient { Timeout = TimeSpan.FromSeconds(60) });
            var counters = new Counters();
            using var stop = new CancellationTokenSource();
            var sending = lanes.Select(lane => SendLaneAsync(client, lane, settings.Batch, counters, stop.Token)).ToArray();

            // Warm-up: every lane through its first pass (every shopper's grain activated, its state read and first written),
            // then --warmup seconds more.
            var warm = Stopwatch.StartNew();
            while (Volatile.Read(ref counters.LanesWarm) < lanes.Length)
            {
                await Task.Delay(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
                Fail(processes, sending);
                Progress(string.Create(CultureInfo.InvariantCulture, $"  first pass: {Volatile.Read(ref counters.LanesWarm)} of {lanes.Length} lanes done, {Interlocked.Read(ref counters.Acknowledged) / warm.Elapsed.TotalSeconds:0} events/s so far"));
            }

            await Task.Delay(settings.Warmup).ConfigureAwait(false);
            Fail(processes, sending);
            double loadStart = LoadAverage();
            var pids = processes.Select(p => p.Id).Append(azuritePid.Value).Append(Environment.ProcessId).ToArray();
            var cpuBefore = pids.Select(CpuSeconds).ToArray();
            long ackedBefore = Interlocked.Read(ref counters.Acknowledged);
            counters.Measuring = true;
            var window = Stopwatch.StartNew();
            while (window.Elapsed < settings.Window)
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(10, (settings.Window - window.Elapsed).TotalSeconds))).ConfigureAwait(false);
                Fail(processes, sending);
                Progress(string.Create(CultureInfo.InvariantCulture, $"  {window.Elapsed.TotalSeconds:0} s: {(Interlocked.Read(ref counters.Acknowledged) - ackedBefore) / window.Elapsed.TotalSeconds:0} events/s"));
            }

            double seconds = window.Elapsed.TotalSeconds;
            long acked = Interlocked.Read(ref counters.Acknowledged) - ackedBefore;
            var cpuAfter = pids.Select(CpuSeconds).ToArray();
            counters.Measuring = false;
            double loadEnd = LoadAverage();
            stop.Cancel();
            await Task.WhenAll(sending.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);

            var cpu = cpuAfter.Zip(cpuBefore, (a, b) => a - b).ToArray();
            double silosCpu = cpu.Take(siloCount).Sum(), gatewayCpu = cpu[siloCount], azuriteCpu = cpu[siloCount + 1], clientCpu = cpu[siloCount + 2];
            var latencies = counters.Latencies.ToArray();
            Array.Sort(latencies);
            return new Result(siloCount, round, seconds, acked, acked / seconds,
                acked == 0 ? double.NaN : 1000 * (silosCpu + gatewayCpu) / acked,
                acked == 0 ? double.NaN : 1000 * (silosCpu + gatewayCpu + azuriteCpu) / acked,
                silosCpu, gatewayCpu, azuriteCpu, clientCpu, Percentile(latencies, 0.5), Percentile(latencies, 0.99),
                Interlocked.Read(ref counters.Overloaded), Interlocked.Read(ref counters.Rejected), loadStart, loadEnd);
        }
        finally
        {
            foreach (var p in processes) p.Dispose();
            if (azuritePid is { } pid)
            {
                try
                {
                    using var azurite = Process.GetProcessById(pid);
                    azurite.Kill(entireProcessTree: true);
                    azurite.WaitForExit(10_000);
                }
                catch (ArgumentException)
                {
                    // Already gone.
                }
            }

            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Sends one lane's events in batches, pass after pass (timestamps moved on by 3 h a pass), until stopped; overloaded events are sent again.</summary>
    private static async Task SendLaneAsync(MicroMomentClient client, ShopperEvent[] lane, int batch, Counters counters, CancellationToken stop)
    {
        await Task.Yield();
        for (int pass = 0; !stop.IsCancellationRequested; pass++)
        {
            var shift = PassShift * pass;
            string prefix = $"p{pass.ToString(CultureInfo.InvariantCulture)}-";
            for (int start = 0; start < lane.Length && !stop.IsCancellationRequested; start += batch)
            {
                var pending = new List<ShopperEvent>(batch);
                for (int k = start; k < Math.Min(lane.Length, start + batch); k++)
                    pending.Add(lane[k] with { EventId = prefix + lane[k].EventId, Timestamp = lane[k].Timestamp + shift });
                while (pending.Count > 0 && !stop.IsCancellationRequested)
                {
                    long began = Stopwatch.GetTimestamp();
                    IReadOnlyList<EventResult> results;
                    try
                    {
                        results = (await client.SendBatchAsync(pending, stop).ConfigureAwait(false)).Results;
                    }
                    catch (OverloadedException ex)
                    {
                        results = ex.Results;
                    }
                    catch (OperationCanceledException) when (stop.IsCancellationRequested)
                    {
                        return;
                    }

                    if (counters.Measuring) counters.Latencies.Add(Stopwatch.GetElapsedTime(began).TotalMilliseconds);
                    var again = new List<ShopperEvent>();
                    for (int k = 0; k < pending.Count; k++)
                    {
                        switch (k < results.Count ? results[k].Status : EventStatus.Overloaded)
                        {
                            case EventStatus.Accepted or EventStatus.Duplicate:
                                Interlocked.Increment(ref counters.Acknowledged);
                                break;
                            case EventStatus.Overloaded:
                                again.Add(pending[k]);
                                break;
                            default:
                                Interlocked.Increment(ref counters.Rejected);
                                break;
                        }
                    }

                    if (again.Count > 0)
                    {
                        Interlocked.Add(ref counters.Overloaded, again.Count);
                        await Task.Delay(50, stop).ConfigureAwait(false);
                    }

                    pending = again;
                }
            }

            if (pass == 0) Interlocked.Increment(ref counters.LanesWarm);
        }
    }

    private static ShopperEvent ToShopperEvent(ClickEvent e, int row) => new()
    {
        EventId = row.ToString(CultureInfo.InvariantCulture),
        UserId = e.UserId,
        Type = e.Type switch
        {
            EventType.View => EventKind.View,
            EventType.Cart => EventKind.Cart,
            EventType.RemoveFromCart => EventKind.RemoveFromCart,
            _ => EventKind.Purchase,
        },
        Timestamp = new DateTimeOffset(e.Timestamp, TimeSpan.Zero),
        ProductId = e.ProductId,
        CategoryId = e.CategoryId,
        CategoryCode = e.CategoryCode,
        Brand = e.Brand,
        Price = float.IsFinite(e.Price) ? e.Price : null,
    };

    private static async Task<string> StartAzuriteAsync(string script, string dataDirectory)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(dataDirectory);
        using var process = Process.Start(start)!;
        string output = await process.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
        string error = await process.StandardError.ReadToEndAsync().ConfigureAwait(false);
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0) throw new InvalidOperationException($"tools/azurite/start.sh failed ({process.ExitCode}): {error}{output}");
        return output.Trim();
    }

    private static async Task WaitReadyAsync(HttpClient http, Child process, Uri root, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"{process.Name} exited before it was ready:\n{process.Output}");
            try
            {
                using var answer = await http.GetAsync(new Uri(root, "readyz")).ConfigureAwait(false);
                if (answer.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(250).ConfigureAwait(false);
        }

        throw new TimeoutException($"{process.Name} was not ready within {limit.TotalSeconds:0} s:\n{process.Output}");
    }

    /// <summary>Stops the probe when a process died or every lane failed: a number from a broken cluster is no number.</summary>
    private static void Fail(List<Child> processes, Task[] sending)
    {
        foreach (var p in processes)
        {
            if (p.HasExited) throw new InvalidOperationException($"{p.Name} exited during the run:\n{p.Output}");
        }

        var failed = sending.FirstOrDefault(t => t.IsFaulted);
        if (failed is not null) throw new InvalidOperationException($"A lane failed: {failed.Exception!.InnerException!.Message}");
    }

    /// <summary>User plus system CPU seconds of a process so far, from /proc/&lt;pid&gt;/stat (fields 14 and 15, in clock ticks).</summary>
    internal static double CpuSeconds(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        // The command name (field 2) is in parentheses and may hold spaces; the fields after it start with the state (field 3).
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    private static double ClockTicks()
    {
        try
        {
            var start = new ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true, UseShellExecute = false };
            using var process = Process.Start(start)!;
            string text = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double ticks) && ticks > 0 ? ticks : 100;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return 100;
        }
    }

    private static double LoadAverage() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Floor(q * sorted.Length))];

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static void Progress(string line) => Console.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {line}");

    private static string Header() =>
        "silos round  seconds   events  events/s  ms cpu/event  +azurite  silos cpu s  gateway cpu s  azurite cpu s  client cpu s  batch p50 ms  p99 ms  overloaded  rejected  load1 start-end";

    private static string Row(Result r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Silos,5} {r.Round,5}  {r.Seconds,7:0.0}  {r.Events,7}  {r.EventsPerSecond,8:0}  {r.CpuMsPerEvent,12:0.000}  {r.CpuMsPerEventWithStorage,8:0.000}  {r.SilosCpu,11:0.0}  {r.GatewayCpu,13:0.0}  {r.AzuriteCpu,13:0.0}  {r.ClientCpu,12:0.0}  {r.BatchP50Ms,12:0.0}  {r.BatchP99Ms,6:0}  {r.Overloaded,10}  {r.Rejected,8}  {r.LoadAtStart:0.00}-{r.LoadAtEnd:0.00}");

    private static string Csv(List<Result> results)
    {
        var text = new StringBuilder("silos,round,seconds,events,events_per_s,cpu_ms_per_event,cpu_ms_per_event_with_azurite,silos_cpu_s,gateway_cpu_s,azurite_cpu_s,client_cpu_s,batch_p50_ms,batch_p99_ms,overloaded,rejected,load1_start,load1_end\n");
        foreach (var r in results)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Silos},{r.Round},{r.Seconds:0.000},{r.Events},{r.EventsPerSecond:0.0},{r.CpuMsPerEvent:0.0000},{r.CpuMsPerEventWithStorage:0.0000},{r.SilosCpu:0.00},{r.GatewayCpu:0.00},{r.AzuriteCpu:0.00},{r.ClientCpu:0.00},{r.BatchP50Ms:0.00},{r.BatchP99Ms:0.00},{r.Overloaded},{r.Rejected},{r.LoadAtStart:0.00},{r.LoadAtEnd:0.00}"));
        }

        return text.ToString();
    }

    private sealed record Settings(TimeSpan Warmup, TimeSpan Window, int Lanes, int Batch, string Durability, string Program, string AzuriteScript);

    private sealed record Result(
        int Silos, int Round, double Seconds, long Events, double EventsPerSecond, double CpuMsPerEvent, double CpuMsPerEventWithStorage,
        double SilosCpu, double GatewayCpu, double AzuriteCpu, double ClientCpu, double BatchP50Ms, double BatchP99Ms, long Overloaded, long Rejected,
        double LoadAtStart, double LoadAtEnd);

    private sealed class Counters
    {
        public long Acknowledged;
        public long Overloaded;
        public long Rejected;
        public int LanesWarm;
        public volatile bool Measuring;
        public readonly ConcurrentBag<double> Latencies = [];
    }

    /// <summary>A silo or gateway process of the probe, its output kept for error messages.</summary>
    private sealed class Child : IDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _output = new();

        private Child(string name, Process process)
        {
            Name = name;
            _process = process;
            _process.OutputDataReceived += (_, e) => Keep(e.Data);
            _process.ErrorDataReceived += (_, e) => Keep(e.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public string Name { get; }

        public int Id => _process.Id;

        public bool HasExited => _process.HasExited;

        public string Output => string.Join('\n', _output);

        public static Child Start(string name, string program, string command, IReadOnlyDictionary<string, string> environment, params string[] arguments)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(program);
            start.ArgumentList.Add(command);
            foreach (var a in arguments) start.ArgumentList.Add(a);
            start.Environment["NO_COLOR"] = "1";
            foreach (var (key, value) in environment) start.Environment[key] = value;
            return new Child(name, Process.Start(start)!);
        }

        private void Keep(string? line)
        {
            if (line is null) return;
            _output.Enqueue(line);
            while (_output.Count > 200) _output.TryDequeue(out _);
        }

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited) _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
            catch (InvalidOperationException)
            {
            }

            _process.Dispose();
        }
    }
}
