using System.Diagnostics;
using MicroMoment.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace MicroMoment.Benchmarks;

/// <summary>
/// Stopwatch probes of grain state storage: N writers in flight, each writing its own grain's state of about
/// 2.7 KB again and again (as grains write a checkpoint), for the SQLite grain storage with group commit, the same
/// storage committing one write per transaction (MaxBatch 1), and Orleans' ADO.NET provider on SQLite; the cost of
/// erasures with and without the checkpoint after a clear; and the time to open a file with each integrity check.
/// Usage: <c>storage-probe writes [--inflight 1,64,4096] [--seconds 5] [--rounds 3] [--sync full,normal] [--providers group,per-write,adonet] [--bytes 2700]</c>,
/// <c>storage-probe erase [--inflight 64] [--clear-every 100,1000] [--seconds 5] [--rounds 3]</c>,
/// <c>storage-probe open [--states 50000] [--rounds 3]</c>.
/// </summary>
public static class StorageProbe
{
    private static readonly ServiceProvider Services = new ServiceCollection()
        .AddSerializer(serializer => serializer.AddAssembly(typeof(StorageProbeState).Assembly))
        .BuildServiceProvider();
    private static readonly IGrainStorageSerializer Serializer = new OrleansGrainStorageSerializer(Services.GetRequiredService<Serializer>());
    private static readonly IActivatorProvider Activators = Services.GetRequiredService<IActivatorProvider>();

    /// <summary>Runs the probe named by <paramref name="args"/>[0].</summary>
    public static void Run(string[] args)
    {
        string mode = args.Length > 0 ? args[0] : "writes";
        Console.WriteLine($"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, temp folder {Path.GetTempPath()}");
        switch (mode)
        {
            case "writes":
                Writes(args).GetAwaiter().GetResult();
                break;
            case "erase":
                Erase(args).GetAwaiter().GetResult();
                break;
            case "open":
                OpenTime(args).GetAwaiter().GetResult();
                break;
            default:
                throw new ArgumentException($"Unknown storage probe '{mode}'; expected 'writes', 'erase' or 'open'.");
        }
    }

    private static async Task Writes(string[] args)
    {
        int[] inflights = IntList(args, "--inflight", [1, 64, 4096]);
        string[] syncs = List(args, "--sync", ["full", "normal"]);
        string[] providers = List(args, "--providers", ["group", "per-write", "adonet"]);
        double seconds = Option(args, "--seconds", 5);
        int rounds = (int)Option(args, "--rounds", 3);
        int bytes = (int)Option(args, "--bytes", 2700);
        Console.WriteLine($"Grain state writes: {bytes:N0}-byte states, each writer rewriting its own grain; {seconds:F0} s per round after 1 s of warm-up; " +
            $"{rounds} rounds, each round measuring every configuration once (so drifting disk load hits all alike); medians");
        var configurations = (from sync in syncs from provider in providers from inflight in inflights select (Sync: sync, Provider: provider, Inflight: inflight)).ToArray();
        var results = configurations.ToDictionary(c => c, _ => new List<(double Rate, double Batch, long Failures)>());
        for (int round = 0; round < rounds; round++)
        {
            foreach (var configuration in configurations)
            {
                results[configuration].Add(await MeasureWrites(configuration.Provider, configuration.Sync, configuration.Inflight, seconds, bytes, clearEvery: 0, checkpointAfterClear: true));
            }

            Console.WriteLine($"round {round + 1} of {rounds} done");
        }

        Console.WriteLine("provider   sync    in flight   writes/s (median)   range               avg batch   failures");
        foreach (var configuration in configurations)
        {
            var runs = results[configuration].OrderBy(r => r.Rate).ToArray();
            var median = runs[runs.Length / 2];
            Console.WriteLine($"{configuration.Provider,-10} {configuration.Sync,-7} {configuration.Inflight,9:N0}   {median.Rate,17:N0}   {runs[0].Rate,8:N0}-{runs[^1].Rate,-8:N0}   {(double.IsNaN(median.Batch) ? "-" : median.Batch.ToString("N1")),9}   {runs.Sum(r => r.Failures),8:N0}");
        }
    }

    private static async Task Erase(string[] args)
    {
        int inflight = (int)Option(args, "--inflight", 64);
        int[] clearEvery = IntList(args, "--clear-every", [100, 1000]);
        double seconds = Option(args, "--seconds", 5);
        int rounds = (int)Option(args, "--rounds", 3);
        Console.WriteLine($"Erasures: {inflight} writers of 2,700-byte states (synchronous FULL); each writer clears its grain every N writes; median of {rounds} rounds");
        Console.WriteLine("clear every   checkpoint after clear   writes+clears/s (median)   range");
        foreach (int every in clearEvery)
        {
            foreach (bool checkpoint in new[] { false, true })
            {
                var rates = new List<double>();
                for (int round = 0; round < rounds; round++)
                {
                    rates.Add((await MeasureWrites("group", "full", inflight, seconds, 2700, every, checkpoint)).Rate);
                }

                rates.Sort();
                Console.WriteLine($"{every,11:N0}   {checkpoint,22}   {rates[rounds / 2],24:N0}   {rates[0]:N0}-{rates[^1]:N0}");
            }
        }
    }

    private static async Task OpenTime(string[] args)
    {
        int states = (int)Option(args, "--states", 50_000);
        int rounds = (int)Option(args, "--rounds", 3);
        string dir = TempDirectory();
        try
        {
            await using (var storage = OpenOurs(dir, "normal", SqliteGrainStorageOptions.DefaultMaxBatch, checkpointAfterClear: true))
            {
                var payload = new StorageProbeState { Payload = Payload(1, 2700) };
                var writes = new List<Task>(4096);
                for (int i = 0; i < states; i++)
                {
                    writes.Add(storage.WriteStateAsync("checkpoint", GrainId.Create("shopper", $"u{i}"), new GrainState<StorageProbeState>(payload)));
                    if (writes.Count == 4096)
                    {
                        await Task.WhenAll(writes);
                        writes.Clear();
                    }
                }

                await Task.WhenAll(writes);
            }

            long length = new FileInfo(Path.Combine(dir, SqliteGrainStorageOptions.DefaultFileName)).Length;
            Console.WriteLine($"Open of a file with {states:N0} states of 2,700 bytes ({length / 1e6:N0} MB), page cache warm, median of {rounds}:");
            foreach (var check in new[] { SqliteOpenCheck.Quick, SqliteOpenCheck.Full })
            {
                var times = new List<double>();
                for (int round = 0; round < rounds + 1; round++)
                {
                    var sw = Stopwatch.StartNew();
                    var storage = OpenOurs(dir, "normal", SqliteGrainStorageOptions.DefaultMaxBatch, checkpointAfterClear: true, check);
                    double ms = sw.Elapsed.TotalMilliseconds;
                    await storage.CloseAsync();
                    if (round > 0)
                    {
                        times.Add(ms);
                    }
                }

                times.Sort();
                Console.WriteLine($"  {check,-6} {times[rounds / 2],8:N0} ms (range {times[0]:N0}-{times[^1]:N0})");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// Runs <paramref name="inflight"/> writers for a warm-up second and then <paramref name="seconds"/>, each rewriting
    /// its own grain (and clearing it every <paramref name="clearEvery"/> writes when positive); returns operations per
    /// second, the average batch (our storage only) and the failed operations.
    /// </summary>
    private static async Task<(double Rate, double Batch, long Failures)> MeasureWrites(
        string provider, string sync, int inflight, double seconds, int bytes, int clearEvery, bool checkpointAfterClear)
    {
        string dir = TempDirectory();
        var lifecycle = new ManualSiloLifecycle();
        IGrainStorage storage = provider switch
        {
            "group" => OpenOurs(dir, sync, SqliteGrainStorageOptions.DefaultMaxBatch, checkpointAfterClear),
            "per-write" => OpenOurs(dir, sync, maxBatch: 1, checkpointAfterClear),
            "adonet" => CreateAdoNet(dir, sync, lifecycle),
            _ => throw new ArgumentException($"Unknown provider '{provider}'; expected group, per-write or adonet."),
        };
        await lifecycle.StartAsync();
        try
        {
            long operations = 0, failures = 0;
            bool measuring = false, stop = false;
            var writers = new Task[inflight];
            for (int w = 0; w < inflight; w++)
            {
                var grain = GrainId.Create("shopper", $"u{w}");
                var state = new GrainState<StorageProbeState>(new StorageProbeState { Payload = Payload(w, bytes) });
                writers[w] = Task.Run(async () =>
                {
                    int n = 0;
                    while (!Volatile.Read(ref stop))
                    {
                        try
                        {
                            state.State!.Payload[0] = (byte)++n;
                            if (clearEvery > 0 && n % clearEvery == 0)
                            {
                                await storage.ClearStateAsync("checkpoint", grain, state);
                                state.State = new StorageProbeState { Payload = Payload(w, bytes) };
                            }
                            else
                            {
                                await storage.WriteStateAsync("checkpoint", grain, state);
                            }

                            if (Volatile.Read(ref measuring))
                            {
                                Interlocked.Increment(ref operations);
                            }
                        }
                        catch (Exception) when (!Volatile.Read(ref stop))
                        {
                            Interlocked.Increment(ref failures);
                        }
                    }
                });
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
            var ours = storage as SqliteGrainStorage;
            long batchesBefore = ours?.CommittedBatches ?? 0, writesBefore = ours?.CommittedWrites ?? 0;
            Volatile.Write(ref measuring, true);
            var sw = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            Volatile.Write(ref measuring, false);
            double elapsed = sw.Elapsed.TotalSeconds;
            long counted = Interlocked.Read(ref operations);
            double batch = ours is null ? double.NaN : (double)(ours.CommittedWrites - writesBefore) / Math.Max(1, ours.CommittedBatches - batchesBefore);
            Volatile.Write(ref stop, true);
            await Task.WhenAll(writers);
            return (counted / elapsed, batch, Interlocked.Read(ref failures));
        }
        finally
        {
            await lifecycle.StopAsync();
            if (storage is SqliteGrainStorage sqlite)
            {
                await sqlite.CloseAsync();
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static SqliteGrainStorage OpenOurs(string dir, string sync, int maxBatch, bool checkpointAfterClear, SqliteOpenCheck check = SqliteOpenCheck.Full)
    {
        var options = new SqliteGrainStorageOptions
        {
            DataDirectory = dir,
            GrainStorageSerializer = Serializer,
            Synchronous = sync == "full" ? SqliteSynchronousMode.Full : SqliteSynchronousMode.Normal,
            MaxBatch = maxBatch,
            CheckpointAfterClear = checkpointAfterClear,
            OpenCheck = check,
        };
        var storage = new SqliteGrainStorage("bench", options, Activators, NullLogger<SqliteGrainStorage>.Instance);
        storage.Open();
        return storage;
    }

    private static AdoNetGrainStorage CreateAdoNet(string dir, string sync, ManualSiloLifecycle lifecycle)
    {
        string path = Path.Combine(dir, "adonet.db");
        AdoNetSqliteStore.Create(path, sync.ToUpperInvariant());
        var options = new AdoNetGrainStorageOptions
        {
            // The provider's invariant for SQLite; it loads Microsoft.Data.Sqlite's factory ("Microsoft.Data.Sqlite" is not a known invariant).
            Invariant = "System.Data.SQLite",
            ConnectionString = $"Data Source={path}",
            GrainStorageSerializer = Serializer,
        };
        var storage = new AdoNetGrainStorage(
            Activators,
            NullLogger<AdoNetGrainStorage>.Instance,
            Options.Create(options),
            Options.Create(new ClusterOptions { ClusterId = "bench", ServiceId = "bench" }),
            "adonet");
        storage.Participate(lifecycle);
        return storage;
    }

    private static byte[] Payload(int seed, int bytes)
    {
        var payload = new byte[bytes];
        new Random(seed).NextBytes(payload);
        return payload;
    }

    private static string TempDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), "mm-storage-probe-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static double Option(string[] args, string name, double fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }

    private static string[] List(string[] args, string name, string[] fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : fallback;
    }

    private static int[] IntList(string[] args, string name, int[] fallback) =>
        Array.ConvertAll(List(args, name, Array.ConvertAll(fallback, f => f.ToString(System.Globalization.CultureInfo.InvariantCulture))), s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture));
}
