using MicroMoment.Data;
using MicroMoment.Events;
using MicroMoment.Scoring;
using MicroMoment.Sessions;
using MicroMoment.Training;

namespace MicroMoment.Tests.Training;

public class ExperimentTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
    private static Session MakeSession(bool censored, params EventType[] types)
    {
        var start = new DateTime(2024, 1, 1, 12, 0, 0, DateTimeKind.Utc);
        var events = types.Select((t, i) => new ClickEvent("default", "u1", start.AddMinutes(i), t, 10 + i, 1, null, null, 5f)).ToArray();
        var logEnd = censored ? events[^1].Timestamp.AddMinutes(5) : events[^1].Timestamp.AddHours(2);
        var tail = new ClickEvent("default", "other", logEnd, EventType.View, 1, 1, null, null, 1f);
        return Sessionizer.Sessionize([.. events, tail], SessionizerOptions.Default).Single(s => s.UserId == "u1");
    }

    [Fact]
    public void ARunOnThreeHoursOfOneDaySaysItsTimeFeaturesWereHeldAtZeroAndAWeekLongRunDoesNot()
    {
        var night = Sessionizer.Sessionize(SyntheticTraffic.Generate(new SyntheticTrafficOptions { Users = 300, Seed = 4, Duration = TimeSpan.FromHours(3) }), SessionizerOptions.Default);
        var run = new ExperimentRunner(TrainedModelFixture.Options()).RunSplit(SessionSplit.StratifiedRandom(night, 1), 1, "night", "synthetic", "test");

        Assert.Contains(run.Notes, n => n.StartsWith("Features: training covers", StringComparison.Ordinal) && n.EndsWith("hour-of-day features held at 0", StringComparison.Ordinal));
        Assert.Contains(run.Notes, n => n.EndsWith("weekday features held at 0", StringComparison.Ordinal));
        // The shared fixture's synthetic week covers every hour and weekday.
        Assert.DoesNotContain(fixture.Run.Notes, n => n.Contains("held at 0", StringComparison.Ordinal));
    }

    [Fact]
    public void BuyLabelsArePositiveBeforeTheFirstPurchaseAndAbsentFromItOn()
    {
        var session = MakeSession(false, EventType.View, EventType.Cart, EventType.Purchase, EventType.View);
        Assert.Equal([1f, 1f], [PrefixLabels.Buy(session, 0, CensoringPolicy.ObservedAsNegative), PrefixLabels.Buy(session, 1, CensoringPolicy.ObservedAsNegative)]);
        Assert.True(float.IsNaN(PrefixLabels.Buy(session, 2, CensoringPolicy.ObservedAsNegative)));
        Assert.True(float.IsNaN(PrefixLabels.Buy(session, 3, CensoringPolicy.ObservedAsNegative)));
    }

    [Fact]
    public void ExitLabelMarksOnlyTheLastEventOfACompleteSession()
    {
        var session = MakeSession(false, EventType.View, EventType.View, EventType.View);
        Assert.Equal([0f, 0f, 1f], Enumerable.Range(0, 3).Select(t => PrefixLabels.Exit(session, t)));
    }

    [Fact]
    public void CutOffSessionHasUnknownExitAndPolicyDependentBuyLabels()
    {
        var session = MakeSession(true, EventType.View, EventType.View);
        Assert.True(session.Censored);
        Assert.True(float.IsNaN(PrefixLabels.Exit(session, 1)));
        Assert.Equal(0f, PrefixLabels.Buy(session, 0, CensoringPolicy.ObservedAsNegative));
        Assert.True(float.IsNaN(PrefixLabels.Buy(session, 0, CensoringPolicy.DropUnknown)));
    }

    [Fact]
    public void TimeSplitTestsOnLaterSessionsThanItTrainsOn()
    {
        var split = SessionSplit.ByTime(fixture.Sessions);
        Assert.True(split.Train.Max(s => s.Start) <= split.Validation.Min(s => s.Start));
        Assert.True(split.Validation.Max(s => s.Start) <= split.Test.Min(s => s.Start));
        Assert.Equal(fixture.Sessions.Count, split.Train.Count + split.Validation.Count + split.Test.Count);
    }

    [Fact]
    public void StratifiedSplitKeepsThePurchaseShareAndIsDeterministic()
    {
        var a = SessionSplit.StratifiedRandom(fixture.Sessions, 5);
        var b = SessionSplit.StratifiedRandom(fixture.Sessions, 5);
        var c = SessionSplit.StratifiedRandom(fixture.Sessions, 6);
        Assert.Equal(a.Test.Select(s => s.Id), b.Test.Select(s => s.Id));
        Assert.NotEqual(a.Test.Select(s => s.Id), c.Test.Select(s => s.Id));
        var overall = fixture.Sessions.Count(s => s.HasPurchase) / (double)fixture.Sessions.Count;
        Assert.InRange(a.Test.Count(s => s.HasPurchase) / (double)a.Test.Count, overall - 0.01, overall + 0.01);
        Assert.Empty(a.Train.Select(s => s.Id).Intersect(a.Test.Select(s => s.Id)));
    }

    [Fact]
    public void SplitRunReportsEveryModelAndAChanceLevelMajorityBaseline()
    {
        Assert.Equal(ExperimentRunner.ModelNames.Order(), fixture.Run.Models.Keys.Order());
        Assert.Equal(0.5, fixture.Run.Models[ExperimentRunner.Majority].RocAuc, 6);
        foreach (var model in fixture.Run.Models.Values)
        {
            // The AUC reported is the area under the ROC curve reported beside it (to the curve's thinning).
            AssertAucIsTheAreaUnder(model.RocCurve, model.RocAuc, model.Model);
            Assert.InRange(model.Threshold, 0f, 1f);
        }
        Assert.True(fixture.Run.LstmAucInterval.Low <= fixture.Run.Models[ExperimentRunner.Lstm].RocAuc);
        Assert.True(fixture.Run.LstmAucInterval.High >= fixture.Run.Models[ExperimentRunner.Lstm].RocAuc);
    }

    [Fact]
    public void AttentionLstmLearnsTheSyntheticPurchaseSignal()
    {
        // The generator makes purchases depend on carts and on revisiting the carted product, so even a tiny,
        // briefly trained network must rank held-out prefixes well above chance (0.5) on a random split.
        var lstm = fixture.Run.Models[ExperimentRunner.Lstm];
        Assert.True(lstm.RocAuc > 0.6, string.Join("; ", fixture.Run.Models.Values.Select(m => $"{m.Model} {m.RocAuc:0.000}")) + $" {fixture.Run.BuyPrefixes} {fixture.Run.Training.BestEpoch}");
    }

    [Fact]
    public void EveryModelIsMeasuredOnBothHeadsAndPairedWithTheLstmOnTheSameTestPrefixes()
    {
        var run = fixture.Run;
        foreach (var model in run.Models.Values)
        {
            AssertAucIsTheAreaUnder(model.RocCurve, model.RocAuc, model.Model);
            AssertAucIsTheAreaUnder(model.ExitRocCurve, model.ExitRocAuc, model.Model + " exit");
            Assert.InRange(model.ExitPrAuc, 0, 1); // also refuses NaN
        }
        // The majority baseline scores every prefix alike: its average precision is the share of exits, the precision
        // where everything is predicted positive (the PR curve's last point).
        var majority = run.Models[ExperimentRunner.Majority];
        Assert.Equal(majority.ExitPrCurve[^1].Y, majority.ExitPrAuc, 9);
        Assert.Equal(0.5, run.Models[ExperimentRunner.Majority].ExitRocAuc, 6);
        Assert.Equal(ModelHeads.Both, run.Heads);
        foreach (var head in new[] { ModelHeads.Buy, ModelHeads.Exit })
        {
            var comparisons = run.PairedComparisons.Where(c => c.Head == head).ToList();
            Assert.Equal(ExperimentRunner.ModelNames.Where(m => m != ExperimentRunner.Lstm), comparisons.Select(c => c.Peer));
            foreach (var c in comparisons)
            {
                double Auc(string m) => head == ModelHeads.Buy ? run.Models[m].RocAuc : run.Models[m].ExitRocAuc;
                Assert.Equal(Auc(ExperimentRunner.Lstm), c.LstmRocAuc, 12);
                Assert.Equal(Auc(c.Peer), c.PeerRocAuc, 12);
                Assert.Equal(c.LstmRocAuc - c.PeerRocAuc, c.Difference.Estimate, 12);
                Assert.True(c.Difference.Lower <= c.Difference.Estimate && c.Difference.Estimate <= c.Difference.Upper, $"{c.Peer}: {c.Difference}");
                Assert.Equal(c.Difference.Lower > 0 ? "beats" : c.Difference.Upper < 0 ? "behind" : "level with", c.Verdict);
            }
        }
    }

    [Fact]
    public void APeerIsTrainedOnTheTrainingPrefixesStoppedOnTheValidationPrefixesAndMeasuredBesideTheOthers()
    {
        var peer = new RecordingPeer();
        var options = TrainedModelFixture.Options();
        options.Peers = [peer];
        options.EnsembleWithPeers = true;
        var split = SessionSplit.StratifiedRandom(fixture.Sessions, 3);
        var run = new ExperimentRunner(options).RunSplit(split, 3, "peer", "synthetic", "test");

        Assert.Equal([ExperimentRunner.Lstm, "recording-peer", "attention-lstm+recording-peer", ExperimentRunner.Logistic, ExperimentRunner.Rules, ExperimentRunner.Majority], ExperimentRunner.ModelNamesFor(options));
        Assert.Equal(2, peer.Fits.Count);
        var (buyTrain, buyValidation) = peer.Fits[0];
        Assert.Equal(run.BuyPrefixes.Train, buyTrain.Count);
        Assert.Equal(run.BuyPrefixes.Validation, buyValidation!.Count);
        Assert.Equal(run.ExitPrefixes.Train, peer.Fits[1].Train.Count);
        var trainIds = split.Train.Select(s => s.Id).ToHashSet();
        var validationIds = split.Validation.Select(s => s.Id).ToHashSet();
        Assert.All(buyTrain.Groups(), id => Assert.Contains(id, trainIds));
        Assert.All(buyValidation.Groups(), id => Assert.Contains(id, validationIds));
        Assert.Equal(run.Model.Features.Schema.Names, buyTrain.FeatureNames);

        // The peer scores "has a cart": the same prefixes as the other models, so its AUC is that of the cart flag.
        var recorded = run.Models["recording-peer"];
        Assert.InRange(recorded.RocAuc, 0.5, 1);
        Assert.Contains(run.PairedComparisons, c => c.Peer == "recording-peer" && c.Head == ModelHeads.Buy);
        Assert.Equal(recorded.RocAuc, run.Model.Info.HeadlineMetrics["recordingPeerTestRocAuc"]);
        Assert.Contains(run.PeerDescriptions, d => d.StartsWith("recording-peer, buy head: scores has_cart", StringComparison.Ordinal));
        // The ensemble (summed calibrated log-odds of the LSTM and the peer) is measured on the same prefixes.
        Assert.InRange(run.Models["attention-lstm+recording-peer"].RocAuc, 0.5, 1);
        AssertAucIsTheAreaUnder(run.Models["attention-lstm+recording-peer"].ExitRocCurve, run.Models["attention-lstm+recording-peer"].ExitRocAuc, "attention-lstm+recording-peer exit");
        Assert.Contains(run.PairedComparisons, c => c.Peer == "attention-lstm+recording-peer" && c.Head == ModelHeads.Exit);
    }

    [Fact]
    public void ALogWithoutPurchasesTrainsTheExitHeadOnlyAndSaysTheBuyHeadIsUntrainable()
    {
        var clicks = SyntheticTraffic.Generate(new SyntheticTrafficOptions { Users = 300, Seed = 5 }).Where(e => e.Type != EventType.Purchase).ToArray();
        var sessions = Sessionizer.Sessionize(clicks, SessionizerOptions.Default);
        var run = new ExperimentRunner(TrainedModelFixture.Options()).RunSplit(SessionSplit.ByTime(sessions), 1, "clicks", "synthetic", "test");

        Assert.Equal(ModelHeads.Exit, run.Heads);
        Assert.Equal(ModelHeads.Exit, run.Model.Heads);
        Assert.Contains(run.Notes, n => n.StartsWith("Buy head: untrainable and skipped", StringComparison.Ordinal));
        foreach (var model in run.Models.Values)
        {
            Assert.True(double.IsNaN(model.RocAuc));
            AssertAucIsTheAreaUnder(model.ExitRocCurve, model.ExitRocAuc, model.Model + " exit");
        }
        Assert.All(run.PairedComparisons, c => Assert.Equal(ModelHeads.Exit, c.Head));
        Assert.Equal(3, run.PairedComparisons.Count);
        Assert.True(double.IsNaN(run.LstmAucInterval.Low));
    }

    [Fact]
    public void ALogWithNeitherPurchasesNorFinishedSessionsIsRefusedWithTheReason()
    {
        // Every session still running when the log ends: no exit is known, and nothing is bought.
        var start = new DateTime(2024, 1, 1, 12, 0, 0, DateTimeKind.Utc);
        var clicks = Enumerable.Range(0, 400).Select(i => new ClickEvent("default", "u" + (i % 200), start.AddSeconds(i), EventType.View, 10 + i, 1, null, null, 5f)).ToArray();
        var sessions = Sessionizer.Sessionize(clicks, SessionizerOptions.Default);
        var ex = Assert.Throws<ArgumentException>(() => new ExperimentRunner(TrainedModelFixture.Options()).RunSplit(SessionSplit.ByTime(sessions), 1, "none", "synthetic", "test"));
        Assert.Contains("Neither head can be trained", ex.Message);
        Assert.Contains("0 known exits", ex.Message);
    }

    /// <summary>A peer that records what it was trained on and scores the has_cart feature.</summary>
    private sealed class RecordingPeer : IPrefixClassifierTrainer
    {
        public List<(PrefixRows Train, PrefixRows? Validation)> Fits { get; } = [];

        public string Name => "recording-peer";

        public IPrefixClassifier Fit(PrefixRows train, PrefixRows? validation, ulong seed)
        {
            Fits.Add((train, validation));
            return new Column(train.FeatureNames.ToList().IndexOf("has_cart"));
        }

        private sealed class Column(int index) : IPrefixClassifier
        {
            public string Description => "scores has_cart";

            public void Score(PrefixRows rows, Span<float> scores)
            {
                for (var i = 0; i < rows.Count; i++) scores[i] = rows.Features(i)[index];
            }
        }
    }

    /// <summary>
    /// Asserts that <paramref name="auc"/> is the trapezoid area under <paramref name="curve"/>, a ROC curve from (0,0) to
    /// (1,1) thinned to at most 300 points (thinning drops only near-straight detail, hence the small tolerance).
    /// </summary>
    private static void AssertAucIsTheAreaUnder(IReadOnlyList<MicroMoment.Evaluation.CurvePoint> curve, double auc, string model)
    {
        Assert.True(curve.Count >= 2, $"{model}: the ROC curve has {curve.Count} points");
        Assert.Equal((0.0, 0.0), (curve[0].X, curve[0].Y));
        Assert.Equal((1.0, 1.0), (curve[^1].X, curve[^1].Y));
        double area = 0;
        for (int i = 1; i < curve.Count; i++) area += (curve[i].X - curve[i - 1].X) * (curve[i].Y + curve[i - 1].Y) / 2;
        Assert.True(Math.Abs(area - auc) <= 0.01, $"{model}: ROC-AUC {auc:0.0000} but the area under its ROC curve is {area:0.0000}");
    }
}
