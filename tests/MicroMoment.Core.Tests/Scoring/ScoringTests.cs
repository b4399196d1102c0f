using MicroMoment.Artifacts;
using MicroMoment.Scoring;
using MicroMoment.Tests.Training;
using MicroMoment.Training;

namespace MicroMoment.Tests.Scoring;

public class ScoringTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
    private MicroMomentModel Model => fixture.Run.Model;

    [Fact]
    public void StreamingScorerEqualsTheBatchModelOnEveryPrefix()
    {
        // Training encodes prefixes with ExampleBuilder and runs the whole sequence; serving steps one event at a time.
        foreach (var session in fixture.Sessions.Take(200))
        {
            var examples = ExampleBuilder.Build(Model.Features, session, CensoringPolicy.ObservedAsNegative);
            var buy = new float[session.Events.Length];
            var exit = new float[session.Events.Length];
            Model.Network.ForwardSequence(examples.Sequence.Inputs, session.Events.Length, buy, exit);
            var scorer = Model.CreateScorer();
            for (var t = 0; t < session.Events.Length; t++)
            {
                var score = scorer.Score(session.Events[t]);
                Assert.Equal(Model.BuyCalibration!.Apply(buy[t]), score.BuyProbability, 1e-5f);
                Assert.Equal(Model.ExitCalibration!.Apply(exit[t]), score.ExitProbability, 1e-5f);
                Assert.Equal(t, score.Position);
            }
        }
    }

    [Fact]
    public void ScorerStartsANewSessionAfterThirtyMinutesOfSilence()
    {
        var session = fixture.Sessions.First(s => s.Events.Length >= 3);
        var scorer = Model.CreateScorer();
        var first = scorer.Score(session.Events[0]);
        scorer.Score(session.Events[1]);
        var later = session.Events[0] with { Timestamp = session.Events[1].Timestamp.AddMinutes(31) };
        var again = scorer.Score(later);
        Assert.True(again.NewSession);
        Assert.Equal(0, again.Position);
        Assert.Equal(Model.CreateScorer().Score(later), again);
        Assert.NotEqual(default, first);
    }

    [Fact]
    public void ScoringAnEventAllocatesNothing()
    {
        var scorer = Model.CreateScorer();
        var events = fixture.Sessions.SelectMany(s => s.Events).Take(500).ToArray();
        foreach (var e in events) scorer.Score(e);
        Assert.Equal(0, SteadyStateAllocations.Measure(i => scorer.Score(events[i]), events.Length));
    }

    [Fact]
    public void SavedModelLoadsAndScoresIdentically()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mm-{Guid.NewGuid():N}.mmm");
        try
        {
            Model.Save(path);
            var loaded = MicroMomentModel.Load(path);
            Assert.Equal(Model.Features.Schema.Hash, loaded.Features.Schema.Hash);
            Assert.Equal(Model.BuyThreshold, loaded.BuyThreshold);
            var a = Model.CreateScorer();
            var b = loaded.CreateScorer();
            foreach (var e in fixture.Sessions[0].Events)
                Assert.Equal(a.Score(e), b.Score(e));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ModelFileFromAnotherFeatureSchemaIsRejectedWithAReason()
    {
        var file = Model.ToFile();
        file.Header["featureSchema"]!["hash"] = "0000";
        var ex = Assert.Throws<ModelFormatException>(() => MicroMomentModel.FromFile(ModelFile.Parse(file.ToBytes())));
        Assert.Contains("retrain", ex.Message);
    }

    [Fact]
    public void ModelFileWithWrongNetworkSizeIsRejectedWithAReason()
    {
        var file = Model.ToFile();
        file.Header["network"]!["hiddenSize"] = 9;
        var ex = Assert.Throws<ModelFormatException>(() => MicroMomentModel.FromFile(ModelFile.Parse(file.ToBytes())));
        Assert.Contains("parameters", ex.Message);
        Assert.Contains($"got {Model.Network.Shape.ParameterCount}", ex.Message);
    }
}
