using System.Globalization;
using MicroMoment.Clustering;
using MicroMoment.Events;
using MicroMoment.Numerics;

namespace MicroMoment.Features;

public sealed partial class FeaturePipeline
{
    private const int ProgressEverySessions = 10_000;

    /// <summary>
    /// Holds the hour-of-day (and weekday) columns at 0 when training saw too few hours (weekdays) for them to mean
    /// anything at the others: a constant column scales to 0 whatever the input. Says so in <paramref name="notes"/>.
    /// </summary>
    internal static MinMaxScaler WithoutUncoveredTime(MinMaxScaler scaler, int hours, int weekdays, int minHours, List<string> notes)
    {
        bool dropHours = hours < minHours;
        bool dropWeekdays = minHours > 0 && weekdays < 7;
        if (!dropHours && !dropWeekdays) return scaler;
        float[] min = scaler.Min, max = scaler.Max;
        if (dropHours)
        {
            min[FeatureEncoder.HourSin] = max[FeatureEncoder.HourSin] = 0f;
            min[FeatureEncoder.HourCos] = max[FeatureEncoder.HourCos] = 0f;
            notes.Add(Invariant($"training covers {hours} of 24 hours of day (fewer than {minHours}); hour-of-day features held at 0"));
        }
        if (dropWeekdays)
        {
            min[FeatureEncoder.WeekdaySin] = max[FeatureEncoder.WeekdaySin] = 0f;
            min[FeatureEncoder.WeekdayCos] = max[FeatureEncoder.WeekdayCos] = 0f;
            notes.Add(Invariant($"training covers {weekdays} of 7 weekdays; weekday features held at 0"));
        }
        return new MinMaxScaler(min, max);
    }

    /// <summary>
    /// Fits the pipeline on training sessions (and only on them): one pass encodes every prefix (fitting the raw
    /// scaler) and computes the aggregates of every complete session; then the aggregate scaler, K-Means (k by
    /// <see cref="KSelection"/> over <see cref="FeaturePipelineOptions.KMin"/>..<see cref="FeaturePipelineOptions.KMax"/>,
    /// or the fixed <see cref="FeaturePipelineOptions.K"/>), and cluster names from profiles and outcomes
    /// (a purchase session is one that contains <see cref="EventType.Purchase"/>).
    /// </summary>
    /// <param name="trainingSessions">Training sessions, each non-empty and in time order; enumerated once.</param>
    /// <param name="options">Fit options (validated).</param>
    /// <param name="progress">Receives a line per stage; may be null.</param>
    /// <exception cref="ArgumentException">Bad options, an empty session, fewer sessions than clusters, or an invalid event.</exception>
    public static (FeaturePipeline Pipeline, ClusteringReport Report) Fit(IEnumerable<IReadOnlyList<ClickEvent>> trainingSessions,
        FeaturePipelineOptions options, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(trainingSessions);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        const int d = SessionAggregates.Dimension;
        var rawBuilder = new MinMaxScalerBuilder(FeatureEncoder.RawDimension);
        var aggregateBuilder = new MinMaxScalerBuilder(d);
        var aggregates = new List<float>();
        var purchased = new List<bool>();
        var lengths = new List<int>();
        Span<float> raw = stackalloc float[FeatureEncoder.RawDimension];
        Span<float> aggregate = stackalloc float[d];
        long eventCount = 0;
        int hoursSeen = 0, weekdaysSeen = 0;

        foreach (IReadOnlyList<ClickEvent> session in trainingSessions)
        {
            int index = purchased.Count;
            if (session is null || session.Count == 0)
                throw new ArgumentException($"Training session {index} is {(session is null ? "null" : "empty")}; every session needs at least one event.", nameof(trainingSessions));
            var state = default(SessionFeatureState);
            bool bought = false;
            for (int t = 0; t < session.Count; t++)
            {
                ClickEvent e = session[t];
                FeatureEncoder.Encode(ref state, e, raw);
                rawBuilder.Observe(raw);
                hoursSeen |= 1 << e.Timestamp.Hour;
                weekdaysSeen |= 1 << (int)e.Timestamp.DayOfWeek;
                bought |= e.Type == EventType.Purchase;
            }
            SessionAggregates.Compute(state, aggregate);
            aggregateBuilder.Observe(aggregate);
            aggregates.AddRange(aggregate);
            purchased.Add(bought);
            lengths.Add(session.Count);
            eventCount += session.Count;
            if (progress is not null && purchased.Count % ProgressEverySessions == 0)
                progress.Report(Invariant($"features: encoded {purchased.Count} sessions, {eventCount} events"));
        }

        int n = purchased.Count;
        int requiredK = options.K ?? options.KMin;
        if (n < Math.Max(2, requiredK))
            throw new ArgumentException($"There are {n} training sessions; fitting {requiredK} clusters needs at least {Math.Max(2, requiredK)}.", nameof(trainingSessions));
        progress?.Report(Invariant($"features: encoded {n} sessions, {eventCount} events; fitting scalers"));

        var featureNotes = new List<string>();
        MinMaxScaler rawScaler = WithoutUncoveredTime(rawBuilder.Build(), System.Numerics.BitOperations.PopCount((uint)hoursSeen),
            System.Numerics.BitOperations.PopCount((uint)weekdaysSeen), options.MinHoursOfDay, featureNotes);
        foreach (string note in featureNotes) progress?.Report("features: " + note);
        MinMaxScaler aggregateScaler = aggregateBuilder.Build();
        float[] scaled = aggregates.ToArray();
        aggregateScaler.TransformRows(scaled);

        float[] fitData = scaled;
        if (n > options.ClusteringSampleSize)
        {
            int[] sample = Silhouette.SampleIndices(n, options.ClusteringSampleSize, SplitMix64.Derive(options.Seed, 1));
            fitData = Gather(scaled, d, sample);
        }
        int fitCount = fitData.Length / d;

        KMeansModel model;
        IReadOnlyList<KSelectionPoint> sweep;
        int? elbowK;
        string rule;
        if (options.K is int fixedK)
        {
            progress?.Report(Invariant($"clusters: fitting fixed k = {fixedK} on {fitCount} sessions"));
            model = KMeans.Fit(fitData, d, fixedK, SplitMix64.Derive(options.Seed, (ulong)fixedK), options.MaxIterations, options.DegreeOfParallelism);
            double silhouette = fixedK < 2 ? 0 : Silhouette.Score(fitData, d, model.AssignAll(fitData), options.SilhouetteSampleSize, options.Seed, options.DegreeOfParallelism);
            sweep = [new KSelectionPoint(fixedK, model.Inertia, silhouette, 0)];
            elbowK = null;
            rule = Invariant($"fixed k = {fixedK} (FeaturePipelineOptions.K)");
        }
        else
        {
            int kMax = Math.Min(options.KMax, fitCount);
            progress?.Report(Invariant($"clusters: sweeping k = {options.KMin}..{kMax} on {fitCount} sessions"));
            KSelectionResult selection = KSelection.Sweep(fitData, d, options.KMin, kMax, options.Seed, options.MaxIterations,
                options.SilhouetteSampleSize, options.DegreeOfParallelism);
            foreach (KSelectionPoint p in selection.Points)
                progress?.Report(Invariant($"clusters: k = {p.K}: inertia {p.Inertia:F2}, silhouette {p.Silhouette:F4}"));
            model = selection.Model;
            sweep = selection.Points;
            elbowK = selection.ElbowK;
            rule = selection.Rule;
        }
        int k = model.K;

        int[] labels = model.AssignAll(scaled);
        var sizes = new int[k];
        var buyers = new int[k];
        var eventSums = new long[k];
        int totalBuyers = 0;
        for (int i = 0; i < n; i++)
        {
            sizes[labels[i]]++;
            eventSums[labels[i]] += lengths[i];
            if (purchased[i])
            {
                buyers[labels[i]]++;
                totalBuyers++;
            }
        }
        var outcomes = new ClusterOutcome[k];
        for (int c = 0; c < k; c++)
            outcomes[c] = new ClusterOutcome(sizes[c], sizes[c] == 0 ? 0 : buyers[c] / (double)sizes[c], sizes[c] == 0 ? 0 : eventSums[c] / (double)sizes[c]);

        float[] profiles = model.Centroids.ToArray();
        for (int c = 0; c < k; c++) aggregateScaler.InverseTransform(profiles.AsSpan(c * d, d));
        string[] names = ClusterNaming.Name(profiles, outcomes);

        var pca = Pca2.Fit(fitData, d);
        int[] shown = Silhouette.SampleIndices(n, options.ProjectionSampleSize, SplitMix64.Derive(options.Seed, 2));
        var projection = new ProjectedPoint[shown.Length];
        for (int i = 0; i < shown.Length; i++)
        {
            int s = shown[i];
            pca.Project(scaled.AsSpan(s * d, d), out float x, out float y);
            projection[i] = new ProjectedPoint(x, y, labels[s], purchased[s]);
        }

        var clusters = new ClusterProfile[k];
        for (int c = 0; c < k; c++)
        {
            pca.Project(model.Centroid(c), out float cx, out float cy);
            clusters[c] = new ClusterProfile(c, names[c], outcomes[c].Size, outcomes[c].PurchaseRate, outcomes[c].MeanLength,
                Array.AsReadOnly(profiles.AsSpan(c * d, d).ToArray()), cx, cy);
            progress?.Report(Invariant($"clusters: {c} '{names[c]}': {sizes[c]} sessions, purchase rate {outcomes[c].PurchaseRate:P1}, mean length {outcomes[c].MeanLength:F1}"));
        }

        var pipeline = new FeaturePipeline(FeatureSchema.Create(k), rawScaler, aggregateScaler, model, names);
        var report = new ClusteringReport(n, eventCount, fitCount, sweep, k, elbowK, rule, SessionAggregates.Names, clusters, projection,
            pca.ExplainedRatio1, pca.ExplainedRatio2, totalBuyers / (double)n) { FeatureNotes = featureNotes };
        return (pipeline, report);
    }

    private static float[] Gather(float[] rows, int d, int[] indices)
    {
        var result = new float[indices.Length * d];
        for (int i = 0; i < indices.Length; i++) rows.AsSpan(indices[i] * d, d).CopyTo(result.AsSpan(i * d, d));
        return result;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
