using MicroMoment.Events;
using MicroMoment.Scoring;
using MicroMoment.Silo;
using MicroMoment.Silo.Execution;
using static MicroMoment.Onnx.Tests.OnnxTestData;

namespace MicroMoment.Onnx.Tests;

/// <summary>The silo option picks the backend: an Orleans silo on onnx-cpu scores like the model; onnx-cuda fails the silo's start where it cannot run.</summary>
public class OnnxSiloTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ASiloOnOnnxCpuScoresTheReesSampleLikeTheModel(bool perEvent)
    {
        var model = BundledModel;
        var events = Rees46.Take(3_000).ToArray();
        await using var silo = await EmbeddedSilo.StartAsync(model, new SiloOptions { Backend = "onnx-cpu", BatchSize = 64, PerEventSteps = perEvent });
        var outcomes = await silo.IngestAsync(events);
        Assert.Equal("onnx-cpu", silo.GetStatistics().Backend);
        var scorers = new Dictionary<string, SessionScorer>();
        int scored = 0;
        for (int i = 0; i < events.Length; i++)
        {
            if (outcomes[i].Status != IngestStatus.Accepted) continue;
            if (!scorers.TryGetValue(events[i].UserId, out var scorer)) scorers[events[i].UserId] = scorer = model.CreateScorer();
            var expected = scorer.Score(events[i]);
            var actual = outcomes[i].Score!.Value;
            Assert.Equal(expected.Position, actual.Position);
            Assert.Equal(expected.BuyProbability, actual.BuyProbability, 1e-5f);
            Assert.Equal(expected.ExitProbability, actual.ExitProbability, 1e-5f);
            scored++;
        }

        Assert.True(scored > 2_900, $"only {scored} of {events.Length} events were scored");
        var statistics = silo.GetStatistics();
        Assert.Equal(scored, statistics.NetworkRows);
        // The per-event peer steps every event alone; the batched executor shares batches across grains.
        if (perEvent) Assert.Equal(statistics.NetworkRows, statistics.NetworkSteps);
        else Assert.True(statistics.NetworkRows > statistics.NetworkSteps, $"{statistics.NetworkRows} rows in {statistics.NetworkSteps} batches");
    }

    [Fact]
    public async Task ASiloToldToUseOnnxCudaWhereItCannotRunFailsAtStartWithTheReason()
    {
        EmbeddedSilo? silo = null;
        try
        {
            silo = await EmbeddedSilo.StartAsync(BundledModel, new SiloOptions { Backend = "onnx-cuda" });
        }
        catch (StepBackendUnavailableException error)
        {
            Assert.Equal("onnx-cuda", error.Backend);
            Assert.StartsWith("The silo's model backend 'onnx-cuda' cannot start on this machine: ", error.Message);
            return;
        }

        // It started: this machine has a GPU with the CUDA libraries, and the silo must score on it.
        await using (silo)
        {
            Assert.False(OnnxBackendTests.NoNvidiaDriver, "onnx-cuda started on a machine without an NVIDIA driver");
            var outcome = (await silo.IngestAsync([Rees46[0]]))[0];
            Assert.Equal(IngestStatus.Accepted, outcome.Status);
        }
    }
}
