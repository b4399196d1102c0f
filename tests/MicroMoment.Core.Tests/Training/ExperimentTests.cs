using MicroMoment.Data;
using MicroMoment.Events;
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
            Assert.InRange(model.RocAuc, 0, 1);
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
}
