using MicroMoment.Model;
using MicroMoment.Scoring;
using Xunit.Abstractions;
using static MicroMoment.Onnx.Tests.OnnxTestData;

namespace MicroMoment.Onnx.Tests;

public class StepGraphEquivalenceTests(ITestOutputHelper output)
{
    /// <summary>
    /// |actual − expected| ≤ 1e-5 · scale, the scale being max(1, |expected|) for every value except the softmax
    /// numerator a, an unnormalised sum of up to s hidden states whose meaning is the context a / s: its scale is
    /// max(1, s), so the context agrees to 1e-5.
    /// </summary>
    internal const float Tolerance = 1e-5f;

    [Fact]
    public void OnnxRuntimeOnTheExportedGraphEqualsTheBatchModelStepByStepThroughWholeRees46Sessions()
    {
        var model = BundledModel;
        using var dir = new TempDirectory();
        OnnxExport.Export(model, dir.Path);
        var graph = StepGraphFile.Load(dir.Path, model);

        // Sessions in lockstep, longest first: at step t the first `active` rows are the sessions longer than t.
        var sessions = Rees46Sessions.OrderByDescending(s => s.Length).ToArray();
        Assert.True(sessions.Length > 1_000, $"{sessions.Length} sessions");
        int events = sessions.Sum(s => s.Length);
        Assert.True(events > 17_000, $"{events} events");

        int n = sessions.Length, d = model.Network.Shape.InputSize, stateSize = model.Network.StateSize;
        using var onnx = OnnxStepSession.Create(graph, OnnxExecutionProvider.Cpu, n);
        using var workspace = new BatchWorkspace(model.Network.Shape, n) { DegreeOfParallelism = 1 };
        float[] expectedStates = ResetStates(model, n), actualStates = ResetStates(model, n);
        var inputs = new float[n * d];
        float[] eBuy = new float[n], eExit = new float[n], eScore = new float[n], aBuy = new float[n], aExit = new float[n], aScore = new float[n];
        var worst = new Deviation();
        long compared = 0;
        for (int t = 0; t < sessions[0].Length; t++)
        {
            int active = 0;
            while (active < n && sessions[active].Length > t)
            {
                sessions[active][t].CopyTo(inputs, active * d);
                active++;
            }

            model.Network.StepBatch(inputs.AsSpan(0, active * d), expectedStates.AsSpan(0, active * stateSize), eBuy.AsSpan(0, active), eExit.AsSpan(0, active), eScore.AsSpan(0, active), workspace);
            onnx.Step(inputs.AsSpan(0, active * d), actualStates.AsSpan(0, active * stateSize), aBuy.AsSpan(0, active), aExit.AsSpan(0, active), aScore.AsSpan(0, active));
            for (int r = 0; r < active; r++)
            {
                worst.Check("buy logit", t, r, eBuy[r], aBuy[r]);
                worst.Check("exit logit", t, r, eExit[r], aExit[r]);
                worst.Check("attention score", t, r, eScore[r], aScore[r]);
                int h = model.Network.Shape.HiddenSize;
                float sum = expectedStates[r * stateSize + 3 * h + 1];
                for (int i = 0; i < stateSize; i++)
                {
                    bool numerator = i >= 2 * h && i < 3 * h;
                    worst.Check(StateName(i, h), t, r, expectedStates[r * stateSize + i], actualStates[r * stateSize + i], numerator ? sum : null);
                }
                compared++;
            }
        }

        output.WriteLine($"{compared:N0} steps of {n:N0} sessions; largest deviation {worst}");
        Assert.Equal(events, compared);
        Assert.True(worst.Scaled <= Tolerance, $"ONNX Runtime differs from StepBatch: {worst}");
    }

    [Fact]
    public void CalibratedScoresFromTheGraphMatchTheStreamingScorer()
    {
        // The sidecar's calibration and the graph's logits give the streaming scorer's probabilities.
        var model = BundledModel;
        using var dir = new TempDirectory();
        var sidecar = OnnxExport.Export(model, dir.Path);
        using var onnx = OnnxStepSession.Create(StepGraphFile.Load(dir.Path, model), OnnxExecutionProvider.Cpu, 1);
        var scorer = model.CreateScorer();
        var state = ResetStates(model, 1);
        float[] buy = new float[1], exit = new float[1], score = new float[1];
        var user = Rees46.GroupBy(e => e.UserId).Select(g => g.ToArray()).First(g => g.Length >= 20 && EncodeSessions(model, g).Length == 1);
        var sessions = EncodeSessions(model, user);
        for (int t = 0; t < user.Length; t++)
        {
            var expected = scorer.Score(user[t]);
            onnx.Step(sessions[0][t], state, buy, exit, score);
            double pBuy = 1 / (1 + Math.Exp(sidecar.BuyCalibration!.Value.A * buy[0] + sidecar.BuyCalibration.Value.B));
            double pExit = 1 / (1 + Math.Exp(sidecar.ExitCalibration!.Value.A * exit[0] + sidecar.ExitCalibration.Value.B));
            Assert.Equal(expected.BuyProbability, pBuy, 1e-5);
            Assert.Equal(expected.ExitProbability, pExit, 1e-5);
            Assert.Equal(expected.AttentionLogit, score[0], 1e-5f);
        }
    }

    [Fact]
    public void GraphBuiltInMemoryIsTheExportedFileByteForByte()
    {
        var model = BundledModel;
        using var dir = new TempDirectory();
        OnnxExport.Export(model, dir.Path);
        Assert.Equal(File.ReadAllBytes(dir.File(OnnxExport.GraphFileName)), OnnxExport.GraphBytes(model));
    }

    private static string StateName(int i, int h) =>
        i < h ? "h" : i < 2 * h ? "c" : i < 3 * h ? "a" : i == 3 * h ? "m" : "s";

    /// <summary>The largest scaled deviation seen and where.</summary>
    private sealed class Deviation
    {
        public float Scaled { get; private set; }

        private string _where = "none";

        public void Check(string what, int step, int row, float expected, float actual, float? scale = null)
        {
            float scaled = MathF.Abs(actual - expected) / MathF.Max(1f, MathF.Abs(scale ?? expected));
            if (!(scaled <= Scaled))
            {
                Scaled = float.IsNaN(scaled) ? float.PositiveInfinity : scaled;
                _where = $"{what} at step {step}, row {row}: expected {expected:R}, got {actual:R}";
            }
        }

        public override string ToString() => $"{Scaled:E2} ({_where})";
    }
}
