using MicroMoment.Clustering;
using MicroMoment.Events;

namespace MicroMoment.Features;

/// <summary>
/// Turns each event of a live or training session into the model input: raw features (scaled and clamped to
/// [0, 1]) followed by the one-hot of the behavioral cluster of the session prefix. Training and serving run
/// this same code. Immutable and thread-safe; <see cref="Step"/> allocates nothing.
/// </summary>
public sealed partial class FeaturePipeline
{
    private readonly MinMaxScaler _rawScaler;
    private readonly MinMaxScaler _aggregateScaler;
    private readonly KMeansModel _clusters;
    private readonly string[] _clusterNames;

    /// <summary>Assembles a pipeline from its parts (for loading from a model file), checking that they fit together.</summary>
    /// <param name="schema">The schema the parts were fitted under; must equal this build's <see cref="FeatureSchema.Create"/> for k clusters.</param>
    /// <param name="rawScaler">Scaler of the <see cref="FeatureEncoder.RawDimension"/> raw features.</param>
    /// <param name="aggregateScaler">Scaler of the <see cref="SessionAggregates.Dimension"/> aggregates.</param>
    /// <param name="clusters">K-Means centroids in scaled aggregate space.</param>
    /// <param name="clusterNames">One unique, non-empty name per cluster.</param>
    /// <exception cref="ArgumentException">A part has the wrong dimension, the names do not match the clusters, or the schema differs from this build's.</exception>
    public FeaturePipeline(FeatureSchema schema, MinMaxScaler rawScaler, MinMaxScaler aggregateScaler, KMeansModel clusters, IReadOnlyList<string> clusterNames)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(rawScaler);
        ArgumentNullException.ThrowIfNull(aggregateScaler);
        ArgumentNullException.ThrowIfNull(clusters);
        ArgumentNullException.ThrowIfNull(clusterNames);
        if (rawScaler.Dimension != FeatureEncoder.RawDimension)
            throw new ArgumentException($"The raw scaler has {rawScaler.Dimension} columns; this build encodes {FeatureEncoder.RawDimension} raw features.", nameof(rawScaler));
        if (aggregateScaler.Dimension != SessionAggregates.Dimension)
            throw new ArgumentException($"The aggregate scaler has {aggregateScaler.Dimension} columns; this build computes {SessionAggregates.Dimension} aggregates.", nameof(aggregateScaler));
        if (clusters.Dimension != SessionAggregates.Dimension)
            throw new ArgumentException($"The centroids have dimension {clusters.Dimension}; expected the aggregate dimension {SessionAggregates.Dimension}.", nameof(clusters));
        if (clusterNames.Count != clusters.K)
            throw new ArgumentException($"There are {clusterNames.Count} cluster names for {clusters.K} clusters; expected one name per cluster.", nameof(clusterNames));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int c = 0; c < clusterNames.Count; c++)
        {
            if (string.IsNullOrWhiteSpace(clusterNames[c]))
                throw new ArgumentException($"Cluster {c} has an empty name; every cluster needs one.", nameof(clusterNames));
            if (!seen.Add(clusterNames[c]))
                throw new ArgumentException($"The cluster name '{clusterNames[c]}' is used twice; names must be unique.", nameof(clusterNames));
        }
        var expected = FeatureSchema.Create(clusters.K);
        if (schema != expected)
            throw new ArgumentException(
                $"The schema (v{schema.Version}, {schema.Count} features, hash {schema.Hash}) differs from this build's schema for {clusters.K} clusters " +
                $"(v{expected.Version}, {expected.Count} features, hash {expected.Hash}); the parts were fitted by another feature version.", nameof(schema));

        Schema = expected;
        _rawScaler = rawScaler;
        _aggregateScaler = aggregateScaler;
        _clusters = clusters;
        _clusterNames = clusterNames.ToArray();
        ClusterNames = Array.AsReadOnly(_clusterNames);
    }

    /// <summary>The model-input schema (raw names, then cluster one-hots).</summary>
    public FeatureSchema Schema { get; }

    /// <summary>The scaler of the raw features.</summary>
    public MinMaxScaler RawScaler => _rawScaler;

    /// <summary>The scaler of the session aggregates.</summary>
    public MinMaxScaler AggregateScaler => _aggregateScaler;

    /// <summary>The K-Means model in scaled aggregate space.</summary>
    public KMeansModel Clusters => _clusters;

    /// <summary>The cluster names, by cluster index.</summary>
    public IReadOnlyList<string> ClusterNames { get; }

    /// <summary>The number of behavioral clusters.</summary>
    public int ClusterCount => _clusters.K;

    /// <summary>The length of one model input: raw features plus one slot per cluster.</summary>
    public int InputDimension => FeatureEncoder.RawDimension + _clusters.K;

    /// <summary>
    /// Adds <paramref name="e"/> to <paramref name="state"/> and writes the model input of the prefix ending at it:
    /// scaled raw features, then the one-hot of the prefix's nearest cluster (also returned in <paramref name="cluster"/>).
    /// Allocates nothing.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="modelInput"/> is not <see cref="InputDimension"/> long, or the event is invalid.</exception>
    public void Step(ref SessionFeatureState state, in ClickEvent e, Span<float> modelInput, out int cluster)
    {
        if (modelInput.Length != InputDimension)
            throw new ArgumentException($"The model input span has {modelInput.Length} floats; expected InputDimension = {InputDimension}.", nameof(modelInput));
        Span<float> raw = modelInput[..FeatureEncoder.RawDimension];
        FeatureEncoder.Encode(ref state, e, raw);
        _rawScaler.Transform(raw);
        cluster = AssignCluster(state);
        Span<float> oneHot = modelInput[FeatureEncoder.RawDimension..];
        oneHot.Clear();
        oneHot[cluster] = 1f;
    }

    /// <summary>The behavioral cluster of a session (prefix): aggregates, scaled, nearest centroid. Allocates nothing.</summary>
    public int AssignCluster(in SessionFeatureState state)
    {
        Span<float> aggregate = stackalloc float[SessionAggregates.Dimension];
        SessionAggregates.Compute(state, aggregate);
        _aggregateScaler.Transform(aggregate);
        return _clusters.Assign(aggregate);
    }

    /// <summary>
    /// Runs <see cref="Step"/> over a whole session from an empty state, writing one model input per event
    /// (row-major, events × <see cref="InputDimension"/>) and each prefix's cluster.
    /// </summary>
    /// <exception cref="ArgumentException">The output spans do not match the session length.</exception>
    public void EncodeSession(IReadOnlyList<ClickEvent> session, Span<float> inputs, Span<int> clusters)
    {
        ArgumentNullException.ThrowIfNull(session);
        int width = InputDimension;
        if (inputs.Length != session.Count * width)
            throw new ArgumentException($"The inputs span has {inputs.Length} floats; expected {session.Count} events x {width} = {session.Count * width}.", nameof(inputs));
        if (clusters.Length != session.Count)
            throw new ArgumentException($"The clusters span has {clusters.Length} entries; expected one per event ({session.Count}).", nameof(clusters));
        var state = default(SessionFeatureState);
        for (int t = 0; t < session.Count; t++)
        {
            ClickEvent e = session[t];
            Step(ref state, e, inputs.Slice(t * width, width), out clusters[t]);
        }
    }
}
