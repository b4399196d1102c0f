using MicroMoment.Clustering;
using MicroMoment.Events;
using MicroMoment.Features;

namespace MicroMoment.Tests.Features;

public class FeaturePipelineTests
{
    private static readonly List<ClickEvent[]> _sessions = SyntheticSessions.Make(100, seed: 2024);
    private static readonly Lazy<(FeaturePipeline Pipeline, ClusteringReport Report)> _fixed =
        new(() => FeaturePipeline.Fit(_sessions, new FeaturePipelineOptions { K = 3, Seed = 5 }, null));

    [Fact]
    public void FitBuildsAPipelineAndAReportThatAgree()
    {
        var (pipeline, report) = _fixed.Value;
        Assert.Equal(3, pipeline.ClusterCount);
        Assert.Equal(FeatureEncoder.RawDimension + 3, pipeline.InputDimension);
        Assert.Equal(FeatureSchema.Create(3), pipeline.Schema);
        Assert.Equal(3, pipeline.ClusterNames.Distinct().Count());

        Assert.Equal(_sessions.Count, report.SessionCount);
        Assert.Equal(_sessions.Sum(s => s.Length), report.EventCount);
        Assert.Equal(3, report.ChosenK);
        Assert.Null(report.ElbowK);
        Assert.Single(report.Sweep);
        Assert.Contains("fixed", report.SelectionRule);
        Assert.Equal(_sessions.Count, report.Clusters.Sum(c => c.Size));
        Assert.Equal(pipeline.ClusterNames, report.Clusters.Select(c => c.Name));
        Assert.Equal(_sessions.Count(s => s.Any(e => e.Type == EventType.Purchase)) / (double)_sessions.Count, report.OverallPurchaseRate, 12);
        Assert.Equal(_sessions.Count, report.Projection.Count);
        Assert.All(report.Projection, p => Assert.InRange(p.Cluster, 0, 2));
        Assert.Equal(SessionAggregates.Names, report.AggregateNames);
        Assert.All(report.Clusters, c => Assert.Equal(SessionAggregates.Dimension, c.Centroid.Count));
    }

    [Fact]
    public void ThreeBehavioursLandInThreeClustersWithFittingNames()
    {
        var (pipeline, report) = _fixed.Value;
        // Sessions were generated browser, comparer, buyer, browser, ...: each behaviour should own one cluster.
        var clusterOf = new int[3];
        for (int behaviour = 0; behaviour < 3; behaviour++)
        {
            var counts = new int[3];
            for (int i = behaviour; i < _sessions.Count; i += 3) counts[ClusterOfSession(pipeline, _sessions[i])]++;
            clusterOf[behaviour] = Array.IndexOf(counts, counts.Max());
            Assert.True(counts.Max() >= 95, $"behaviour {behaviour}: {string.Join(",", counts)}");
        }
        Assert.Equal(3, clusterOf.Distinct().Count());

        Assert.Equal("passive browsers", pipeline.ClusterNames[clusterOf[0]]);
        Assert.Equal("comparison seekers", pipeline.ClusterNames[clusterOf[1]]);
        Assert.Contains(pipeline.ClusterNames[clusterOf[2]], new[] { "purchase-intent", "impulsive buyers" });
        Assert.Equal(report.Clusters.MaxBy(c => c.PurchaseRate)!.Cluster, clusterOf[2]);
    }

    [Fact]
    public void SweepChoosesKAndReportsBothCurves()
    {
        var progress = new List<string>();
        var (pipeline, report) = FeaturePipeline.Fit(_sessions, new FeaturePipelineOptions { KMin = 2, KMax = 5, Seed = 5 },
            new SynchronousProgress(progress));
        Assert.Equal(Enumerable.Range(2, 4), report.Sweep.Select(p => p.K));
        Assert.All(report.Sweep, p => Assert.True(p.Inertia > 0 && p.Silhouette is > -1 and <= 1));
        Assert.Equal(3, report.ChosenK);
        Assert.NotNull(report.ElbowK);
        Assert.Equal(report.ChosenK, pipeline.ClusterCount);
        Assert.Contains(progress, line => line.Contains("silhouette"));
    }

    [Fact]
    public void StepEqualsManualEncodeScaleAndAssign()
    {
        var pipeline = _fixed.Value.Pipeline;
        var session = _sessions[4];
        var state = default(SessionFeatureState);
        var manualState = default(SessionFeatureState);
        var input = new float[pipeline.InputDimension];
        var raw = new float[FeatureEncoder.RawDimension];
        var aggregate = new float[SessionAggregates.Dimension];
        foreach (var e in session)
        {
            pipeline.Step(ref state, e, input, out int cluster);

            FeatureEncoder.Encode(ref manualState, e, raw);
            pipeline.RawScaler.Transform(raw);
            SessionAggregates.Compute(manualState, aggregate);
            pipeline.AggregateScaler.Transform(aggregate);
            int manualCluster = pipeline.Clusters.Assign(aggregate);

            Assert.Equal(manualCluster, cluster);
            Assert.Equal(raw, input[..FeatureEncoder.RawDimension]);
            for (int c = 0; c < pipeline.ClusterCount; c++) Assert.Equal(c == cluster ? 1f : 0f, input[FeatureEncoder.RawDimension + c]);
            Assert.All(input, v => Assert.InRange(v, 0f, 1f));
        }
    }

    [Fact]
    public void StepAllocatesNothing()
    {
        var pipeline = _fixed.Value.Pipeline;
        var events = _sessions.Take(30).SelectMany(s => s).ToArray();
        var input = new float[pipeline.InputDimension];
        var state = default(SessionFeatureState);
        pipeline.Step(ref state, events[0], input, out _);

        int clusters = 0;
        Assert.Equal(0, SteadyStateAllocations.Measure(_ =>
        {
            state.Reset();
            foreach (var e in events)
            {
                pipeline.Step(ref state, e, input, out int cluster);
                clusters += cluster;
            }
        }, 5));
        Assert.True(clusters > 0);
    }

    [Fact]
    public void EncodeSessionMatchesStepByStep()
    {
        var pipeline = _fixed.Value.Pipeline;
        var session = _sessions[1];
        int width = pipeline.InputDimension;
        var inputs = new float[session.Length * width];
        var clusters = new int[session.Length];
        pipeline.EncodeSession(session, inputs, clusters);

        var state = default(SessionFeatureState);
        var input = new float[width];
        for (int t = 0; t < session.Length; t++)
        {
            pipeline.Step(ref state, session[t], input, out int cluster);
            Assert.Equal(cluster, clusters[t]);
            Assert.Equal(input, inputs[(t * width)..((t + 1) * width)]);
        }
        Assert.Throws<ArgumentException>(() => pipeline.EncodeSession(session, new float[width], clusters));
    }

    [Fact]
    public void FitIsDeterministicForASeedWhateverTheThreads()
    {
        var options1 = new FeaturePipelineOptions { KMin = 2, KMax = 4, Seed = 9, DegreeOfParallelism = 1 };
        var options2 = new FeaturePipelineOptions { KMin = 2, KMax = 4, Seed = 9, DegreeOfParallelism = 2 };
        var (a, reportA) = FeaturePipeline.Fit(_sessions, options1, null);
        var (b, reportB) = FeaturePipeline.Fit(_sessions, options2, null);
        Assert.True(a.Clusters.Centroids.SequenceEqual(b.Clusters.Centroids));
        Assert.Equal(a.ClusterNames, b.ClusterNames);
        Assert.Equal(a.RawScaler.Min, b.RawScaler.Min);
        Assert.Equal(a.AggregateScaler.Max, b.AggregateScaler.Max);
        Assert.Equal(reportA.Sweep, reportB.Sweep);
        Assert.Equal(reportA.Projection, reportB.Projection);
    }

    [Fact]
    public void PartsRebuildAnIdenticalPipeline()
    {
        var original = _fixed.Value.Pipeline;
        var rebuilt = new FeaturePipeline(new FeatureSchema(original.Schema.Version, original.Schema.Names),
            new MinMaxScaler(original.RawScaler.Min, original.RawScaler.Max),
            new MinMaxScaler(original.AggregateScaler.Min, original.AggregateScaler.Max),
            new KMeansModel(original.Clusters.Centroids, original.Clusters.Dimension, original.Clusters.Inertia),
            original.ClusterNames.ToArray());
        var s1 = default(SessionFeatureState);
        var s2 = default(SessionFeatureState);
        var x1 = new float[original.InputDimension];
        var x2 = new float[rebuilt.InputDimension];
        foreach (var e in _sessions[7])
        {
            original.Step(ref s1, e, x1, out int c1);
            rebuilt.Step(ref s2, e, x2, out int c2);
            Assert.Equal(c1, c2);
            Assert.Equal(x1, x2);
        }
    }

    [Fact]
    public void MismatchedPartsAreRejected()
    {
        var p = _fixed.Value.Pipeline;
        var names = p.ClusterNames.ToArray();
        Assert.Contains("schema", Assert.Throws<ArgumentException>(() =>
            new FeaturePipeline(FeatureSchema.Create(4), p.RawScaler, p.AggregateScaler, p.Clusters, names)).Message);
        Assert.Contains("schema", Assert.Throws<ArgumentException>(() =>
            new FeaturePipeline(new FeatureSchema(FeatureSchema.CurrentVersion + 1, p.Schema.Names), p.RawScaler, p.AggregateScaler, p.Clusters, names)).Message);
        Assert.Throws<ArgumentException>(() => new FeaturePipeline(p.Schema, p.AggregateScaler, p.AggregateScaler, p.Clusters, names));
        Assert.Throws<ArgumentException>(() => new FeaturePipeline(p.Schema, p.RawScaler, p.RawScaler, p.Clusters, names));
        Assert.Throws<ArgumentException>(() => new FeaturePipeline(p.Schema, p.RawScaler, p.AggregateScaler, p.Clusters, names[..2]));
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() =>
            new FeaturePipeline(p.Schema, p.RawScaler, p.AggregateScaler, p.Clusters, [names[0], names[0], names[1]])).Message);
        var state = default(SessionFeatureState);
        Assert.Throws<ArgumentException>(() => p.Step(ref state, _sessions[0][0], new float[p.InputDimension - 1], out _));
    }

    [Fact]
    public void FitRejectsEmptySessionsTooFewSessionsAndBadOptions()
    {
        var withEmpty = new List<IReadOnlyList<ClickEvent>> { _sessions[0], Array.Empty<ClickEvent>() };
        Assert.Contains("session 1 is empty", Assert.Throws<ArgumentException>(() => FeaturePipeline.Fit(withEmpty, new FeaturePipelineOptions { K = 1 }, null)).Message);
        Assert.Throws<ArgumentException>(() => FeaturePipeline.Fit(_sessions.Take(2), new FeaturePipelineOptions { K = 3 }, null));
        Assert.Contains("KMin", Assert.Throws<ArgumentException>(() => FeaturePipeline.Fit(_sessions, new FeaturePipelineOptions { KMin = 1 }, null)).Message);
        Assert.Contains("ProjectionSampleSize", Assert.Throws<ArgumentException>(() =>
            FeaturePipeline.Fit(_sessions, new FeaturePipelineOptions { K = 2, ProjectionSampleSize = 5000 }, null)).Message);
    }

    [Fact]
    public void LargeTrainingSetsAreClusteredOnADeterministicSampleAndAllAssigned()
    {
        var options = new FeaturePipelineOptions { K = 3, Seed = 1, ClusteringSampleSize = 120, ProjectionSampleSize = 50 };
        var (_, report) = FeaturePipeline.Fit(_sessions, options, null);
        Assert.Equal(120, report.ClusteredSessionCount);
        Assert.Equal(_sessions.Count, report.Clusters.Sum(c => c.Size));
        Assert.Equal(50, report.Projection.Count);
    }

    private static int ClusterOfSession(FeaturePipeline pipeline, ClickEvent[] session)
    {
        var state = default(SessionFeatureState);
        foreach (var e in session) state.Observe(e);
        return pipeline.AssignCluster(state);
    }

    /// <summary>Collects progress lines on the reporting thread (Progress&lt;T&gt; would post them asynchronously).</summary>
    private sealed class SynchronousProgress(List<string> lines) : IProgress<string>
    {
        public void Report(string value) => lines.Add(value);
    }
    [Fact]
    public void HourOfDayFeaturesAreHeldAtZeroWhenTrainingSawOnlyAFewHours()
    {
        // Three hours of one Monday night, as in the REES46 sample.
        var sessions = Enumerable.Range(0, 40).Select(i =>
        {
            var start = TestEvents.Monday.AddMinutes(i * 4);
            return new[] { TestEvents.At(start, EventType.View, 1 + (i % 5), 1), TestEvents.At(start.AddSeconds(30), i % 3 == 0 ? EventType.Cart : EventType.View, 2, 1) };
        }).ToList();
        var night = FeaturePipeline.Fit(sessions, new FeaturePipelineOptions { K = 2, Seed = 1 }, null).Pipeline;
        var always = FeaturePipeline.Fit(sessions, new FeaturePipelineOptions { K = 2, Seed = 1, MinHoursOfDay = 0 }, null).Pipeline;

        float[] Encode(FeaturePipeline pipeline, int hour)
        {
            var input = new float[pipeline.InputDimension];
            var state = default(SessionFeatureState);
            pipeline.Step(ref state, TestEvents.At(TestEvents.Monday.AddDays(7).AddHours(hour), EventType.View, 1, 1), input, out _);
            return input;
        }

        // Held at 0: an afternoon event encodes like a night one (no extrapolation from three hours).
        Assert.Equal(0f, Encode(night, 1)[FeatureEncoder.HourSin]);
        Assert.Equal(0f, Encode(night, 15)[FeatureEncoder.HourCos]);
        Assert.Equal(Encode(night, 1), Encode(night, 15));
        // Used when asked to: the same two events differ.
        Assert.NotEqual(Encode(always, 1)[FeatureEncoder.HourSin], Encode(always, 15)[FeatureEncoder.HourSin]);
        Assert.Throws<ArgumentException>(() => new FeaturePipelineOptions { MinHoursOfDay = 25 }.Validate());
    }
}
