using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using MicroMoment.Data;
using MicroMoment.Events;
using MicroMoment.Features;
using MicroMoment.Model;
using MicroMoment.Onnx;
using MicroMoment.Scoring;
using MicroMoment.Silo.Execution;

namespace MicroMoment.Benchmarks;

/// <summary>
/// Stopwatch probes and checks of the executor backends, for development and for the GPU script (benchmarks/gpu):
/// <list type="bullet">
/// <item><description><c>onnx-reference [--out DIR] [--data FILE]</c>: exports the bundled model's step graph into
/// DIR/graph and writes the REES46 sample's sessions as model inputs with the C# batch model's outputs (DIR/reference.json,
/// *.f32, *.i32), so a machine without the data or .NET can check a runtime against them.</description></item>
/// <item><description><c>onnx-check [--backend NAME] [--input DIR]</c>: steps those sessions through a backend, in
/// lockstep, and compares every step with the reference (1e-5; exit code 1 when it differs, 2 when the backend cannot start).</description></item>
/// <item><description><c>onnx-sweep [--backends simd,onnx-cpu,onnx-cuda] [--batches 1,16,256,4096] [--rounds 7]</c>:
/// steps/s per backend and batch (median of rounds of at least 0.2 s).</description></item>
/// <item><description><c>onnx-peer [--shoppers 1024] [--events 8] [--rounds 9]</c>: events/s of the per-event ONNX
/// Runtime peer against the batched executor (<see cref="SiloPeerWorkload"/>) and their ratio.</description></item>
/// </list>
/// </summary>
public static class OnnxProbe
{
    /// <summary>Runs the probe named by <paramref name="mode"/>; returns the process exit code.</summary>
    public static int Run(string mode, string[] args) => mode switch
    {
        "onnx-reference" => Reference(args),
        "onnx-check" => Check(args),
        "onnx-sweep" => Sweep(args),
        "onnx-peer" => Peer(args),
        _ => throw new ArgumentException($"Unknown probe '{mode}'."),
    };

    private static int Reference(string[] args)
    {
        string output = Text(args, "--out", Path.Combine(RepositoryRoot(), "benchmarks", "gpu", "input"));
        string data = Text(args, "--data", Path.Combine(MicroMoment.Testing.RepositoryLayout.SharedDataRoot, "rees46", "2019-Oct-head.csv.gz"));
        var model = LoadModel(args);
        Directory.CreateDirectory(output);
        OnnxExport.Export(model, Path.Combine(output, "graph"));
        var events = Rees46CsvReader.Read(data, new IngestReport()).ToArray();
        var sessions = Encode(model, events).OrderByDescending(s => s.Length).ToArray();
        int n = sessions.Length, d = model.Network.Shape.InputSize, s = model.Network.StateSize;
        var network = model.Network;
        using var workspace = new BatchWorkspace(network.Shape, n) { DegreeOfParallelism = 1 };
        var states = new float[n * s];
        for (int r = 0; r < n; r++) network.ResetState(states.AsSpan(r * s, s));
        var expected = sessions.Select(x => new float[x.Length * 3]).ToArray();
        Lockstep(sessions, d, (inputs, active) =>
        {
            var buy = new float[active];
            var exit = new float[active];
            var scores = new float[active];
            network.StepBatch(inputs, states.AsSpan(0, active * s), buy, exit, scores, workspace);
            return (buy, exit, scores);
        }, (t, r, buy, exit, score) =>
        {
            expected[r][t * 3] = buy;
            expected[r][t * 3 + 1] = exit;
            expected[r][t * 3 + 2] = score;
        });

        WriteFloats(Path.Combine(output, "inputs.f32"), sessions.SelectMany(x => x).SelectMany(x => x));
        WriteFloats(Path.Combine(output, "expected.f32"), expected.SelectMany(x => x));
        WriteFloats(Path.Combine(output, "final_states.f32"), states);
        File.WriteAllBytes(Path.Combine(output, "lengths.i32"), MemoryMarshal.AsBytes(sessions.Select(x => x.Length).ToArray().AsSpan()).ToArray());
        var manifest = new JsonObject
        {
            ["what"] = "REES46 sample sessions as model inputs, in session order (longest first), with the C# batch model's outputs (AttentionLstm.StepBatch, lockstep)",
            ["graph"] = "graph/step.onnx",
            ["sessions"] = n,
            ["events"] = sessions.Sum(x => x.Length),
            ["inputSize"] = d,
            ["hiddenSize"] = network.Shape.HiddenSize,
            ["stateSize"] = s,
            ["stateLayout"] = "h (H) | c (H) | a (H) | m | s",
            ["lengths"] = "lengths.i32: int32 per session",
            ["inputs"] = "inputs.f32: float32 [events, inputSize], session after session",
            ["expected"] = "expected.f32: float32 [events, 3] = buy logit, exit logit, attention score, same order",
            ["finalStates"] = "final_states.f32: float32 [sessions, stateSize] after each session's last event",
            ["tolerance"] = "|actual - expected| <= 1e-5 * max(1, |expected|); for the numerator a the scale is max(1, s)",
        };
        File.WriteAllText(Path.Combine(output, "reference.json"), manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"onnx-reference: {n:N0} sessions, {sessions.Sum(x => x.Length):N0} events, graph and reference in {output}");
        return 0;
    }

    private static int Check(string[] args)
    {
        string name = Text(args, "--backend", OnnxStepBackend.CpuBackendName);
        string input = Text(args, "--input", Path.Combine(RepositoryRoot(), "benchmarks", "gpu", "input"));
        var model = LoadModel(args);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(input, "reference.json")))!;
        int n = manifest["sessions"]!.GetValue<int>(), d = manifest["inputSize"]!.GetValue<int>(), s = manifest["stateSize"]!.GetValue<int>();
        int h = manifest["hiddenSize"]!.GetValue<int>();
        if (d != model.Network.Shape.InputSize || s != model.Network.StateSize)
            throw new InvalidDataException($"The reference in '{input}' was made for D {d}, S {s}; the model has D {model.Network.Shape.InputSize}, S {model.Network.StateSize}.");
        int[] lengths = MemoryMarshal.Cast<byte, int>(File.ReadAllBytes(Path.Combine(input, "lengths.i32"))).ToArray();
        float[] inputs = ReadFloats(Path.Combine(input, "inputs.f32"));
        float[] expected = ReadFloats(Path.Combine(input, "expected.f32"));
        float[] finalStates = ReadFloats(Path.Combine(input, "final_states.f32"));
        var sessions = new float[n][][];
        var offsets = new int[n];
        for (int r = 0, at = 0; r < n; at += lengths[r], r++)
        {
            offsets[r] = at;
            sessions[r] = Enumerable.Range(0, lengths[r]).Select(t => inputs.AsSpan((at + t) * d, d).ToArray()).ToArray();
        }

        IStepBackend backend;
        var timer = Stopwatch.StartNew();
        try
        {
            backend = StepBackendFactory.Create(name, model, new ModelExecutorOptions { MaxBatch = Math.Min(n, 65_536) });
        }
        catch (StepBackendUnavailableException ex)
        {
            Console.WriteLine($"onnx-check {name}: cannot start: {ex.Message}");
            return 2;
        }

        Console.WriteLine($"onnx-check {name}: started in {timer.Elapsed.TotalMilliseconds:F0} ms{(backend is OnnxStepBackend onnx ? $" (host buffers: {onnx.HostMemory})" : string.Empty)}");
        using (backend)
        {
            var states = new float[n * s];
            for (int r = 0; r < n; r++) model.Network.ResetState(states.AsSpan(r * s, s));
            float worst = 0;
            string where = "none";
            void Compare(string what, int t, int r, float want, float got, float scale)
            {
                float deviation = MathF.Abs(got - want) / MathF.Max(1f, MathF.Abs(scale));
                if (!(deviation <= worst))
                {
                    worst = float.IsNaN(deviation) ? float.PositiveInfinity : deviation;
                    where = $"{what} at step {t} of session {r}: expected {want:R}, got {got:R}";
                }
            }

            timer.Restart();
            Lockstep(sessions, d, (batch, active) =>
            {
                var buy = new float[active];
                var exit = new float[active];
                var scores = new float[active];
                backend.Step(batch, states.AsSpan(0, active * s), buy, exit, scores);
                return (buy, exit, scores);
            }, (t, r, buy, exit, score) =>
            {
                int at = (offsets[r] + t) * 3;
                Compare("buy logit", t, r, expected[at], buy, expected[at]);
                Compare("exit logit", t, r, expected[at + 1], exit, expected[at + 1]);
                Compare("attention score", t, r, expected[at + 2], score, expected[at + 2]);
            });
            var elapsed = timer.Elapsed;
            for (int r = 0; r < n; r++)
            {
                float sum = finalStates[r * s + 3 * h + 1];
                for (int i = 0; i < s; i++)
                {
                    bool numerator = i >= 2 * h && i < 3 * h;
                    Compare("final state", lengths[r] - 1, r, finalStates[r * s + i], states[r * s + i], numerator ? sum : finalStates[r * s + i]);
                }
            }

            bool pass = worst <= 1e-5f;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"onnx-check {name}: {lengths.Sum():N0} steps of {n:N0} REES46 sessions in {elapsed.TotalMilliseconds:F0} ms; largest deviation {worst:E2} ({where}): {(pass ? "PASS" : "FAIL")} (tolerance 1e-5)"));
            return pass ? 0 : 1;
        }
    }

    private static int Sweep(string[] args)
    {
        string[] backends = Text(args, "--backends", "simd,onnx-cpu").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        int[] batches = [.. Text(args, "--batches", "1,16,256,4096").Split(',').Select(b => int.Parse(b, CultureInfo.InvariantCulture))];
        int rounds = Number(args, "--rounds", 7);
        Console.WriteLine($"onnx-sweep: H=64 D=60 A=32, one thread, {Environment.ProcessorCount} cores, median of {rounds} rounds of at least 0.2 s");
        foreach (var name in backends)
        {
            foreach (int batch in batches)
            {
                BackendStepWorkload workload;
                try
                {
                    workload = new BackendStepWorkload(name, batch);
                }
                catch (OnnxRuntimeUnavailableException ex)
                {
                    Console.WriteLine($"sweep {name}: cannot start: {ex.Message}");
                    break;
                }

                using (workload)
                {
                    workload.Run();
                    int calls = 1;
                    var probe = Stopwatch.StartNew();
                    while (probe.Elapsed.TotalSeconds < 0.05) { workload.Run(); calls++; }
                    calls = Math.Max(1, (int)(calls * 0.2 / probe.Elapsed.TotalSeconds));
                    var rates = new double[rounds];
                    for (int round = 0; round < rounds; round++)
                    {
                        var timer = Stopwatch.StartNew();
                        for (int i = 0; i < calls; i++) workload.Run();
                        rates[round] = (double)calls * batch / timer.Elapsed.TotalSeconds;
                    }

                    Array.Sort(rates);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"sweep {name,-9} batch {batch,5}: {rates[rounds / 2],14:N0} steps/s (rounds {rates[0]:N0} to {rates[^1]:N0})"));
                }
            }
        }

        return 0;
    }

    private static int Peer(string[] args)
    {
        int shoppers = Number(args, "--shoppers", 1024), events = Number(args, "--events", 8), rounds = Number(args, "--rounds", 9);
        var medians = new Dictionary<string, double>();
        Console.WriteLine($"onnx-peer: {shoppers:N0} concurrent shoppers x {events} events, every event a turn; {Environment.ProcessorCount} cores; median of {rounds} rounds");
        foreach (var mode in new[] { SiloPeerWorkload.PerEventOnnx, SiloPeerWorkload.ExecutorOnnxCpu, SiloPeerWorkload.ExecutorSimd })
        {
            using var workload = new SiloPeerWorkload(mode, shoppers, events);
            workload.RunAsync().GetAwaiter().GetResult();
            var rates = new double[rounds];
            long batches = workload.Batches;
            for (int round = 0; round < rounds; round++)
            {
                var timer = Stopwatch.StartNew();
                workload.RunAsync().GetAwaiter().GetResult();
                rates[round] = workload.Events / timer.Elapsed.TotalSeconds;
            }

            Array.Sort(rates);
            medians[mode] = rates[rounds / 2];
            double rows = (double)workload.Events * rounds;
            string batching = workload.Batches > batches ? string.Create(CultureInfo.InvariantCulture, $", {rows / (workload.Batches - batches):F1} shoppers per batch") : string.Empty;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"peer {mode,-17}: {medians[mode],12:N0} events/s (rounds {rates[0]:N0} to {rates[^1]:N0}{batching})"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratio executor-onnx-cpu / per-event-onnx = {medians[SiloPeerWorkload.ExecutorOnnxCpu] / medians[SiloPeerWorkload.PerEventOnnx]:F1}x; executor-simd / per-event-onnx = {medians[SiloPeerWorkload.ExecutorSimd] / medians[SiloPeerWorkload.PerEventOnnx]:F1}x"));
        return 0;
    }

    /// <summary>Steps sessions (longest first) in lockstep: at step t the first rows are the sessions longer than t.</summary>
    private static void Lockstep(float[][][] sessions, int d, Func<float[], int, (float[] Buy, float[] Exit, float[] Scores)> step, Action<int, int, float, float, float> record)
    {
        var inputs = new float[sessions.Length * d];
        for (int t = 0; t < sessions[0].Length; t++)
        {
            int active = 0;
            while (active < sessions.Length && sessions[active].Length > t)
            {
                sessions[active][t].CopyTo(inputs, active * d);
                active++;
            }

            var (buy, exit, scores) = step(inputs[..(active * d)], active);
            for (int r = 0; r < active; r++) record(t, r, buy[r], exit[r], scores[r]);
        }
    }

    private static float[][][] Encode(MicroMomentModel model, IEnumerable<ClickEvent> events)
    {
        var sessions = new List<float[][]>();
        var scratch = new float[model.Network.StateSize];
        foreach (var user in events.GroupBy(e => (e.Tenant, e.UserId)))
        {
            SessionFeatureState features = default;
            features.Reset();
            long last = 0;
            int length = 0;
            List<float[]>? current = null;
            foreach (var e in user)
            {
                var input = new float[model.Features.InputDimension];
                if (SessionScorer.Prepare(model, ref features, scratch, ref last, ref length, e, input, out _, out _))
                {
                    if (current is not null) sessions.Add([.. current]);
                    current = [];
                }

                current!.Add(input);
            }

            if (current is not null) sessions.Add([.. current]);
        }

        return [.. sessions];
    }

    private static MicroMomentModel LoadModel(string[] args) =>
        MicroMomentModel.Load(Text(args, "--model", Path.Combine(RepositoryRoot(), "models", "default", "model.mmm")));

    private static void WriteFloats(string path, IEnumerable<float> values) =>
        File.WriteAllBytes(path, MemoryMarshal.AsBytes(values.ToArray().AsSpan()).ToArray());

    private static float[] ReadFloats(string path) => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray();

    private static string Text(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    private static int Number(string[] args, string name, int fallback) => int.Parse(Text(args, name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    private static string RepositoryRoot() => MicroMoment.Testing.RepositoryLayout.Root;
}
