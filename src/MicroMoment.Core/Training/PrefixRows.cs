namespace MicroMoment.Training;

/// <summary>
/// Labelled prefix feature rows of one head: for each prefix, the model input the attention-LSTM gets at that
/// event (per-event features, the session's aggregates so far and its cluster, all without look-ahead), which a
/// baseline without memory sees as one flat row. Rows point into the encoded sessions instead of copying them.
/// </summary>
public sealed class PrefixRows
{
    private readonly float[][] _sources;
    private readonly int[] _source;
    private readonly int[] _offset;
    private readonly byte[] _labels;
    private readonly long[] _groups;

    /// <summary>Creates rows that point into <paramref name="sources"/>: row i is the <paramref name="featureNames"/>.Count values of
    /// <c>sources[source[i]]</c> from <c>offset[i]</c>, with label <c>labels[i]</c> and group (session) <c>groups[i]</c>.</summary>
    /// <exception cref="ArgumentException">Lengths disagree, a row reaches past its source, or a label is not 0/1.</exception>
    public PrefixRows(IReadOnlyList<string> featureNames, float[][] sources, int[] source, int[] offset, byte[] labels, long[] groups)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(offset);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(groups);
        if (featureNames.Count < 1) throw new ArgumentException("Expected at least one feature.", nameof(featureNames));
        if (source.Length != labels.Length || offset.Length != labels.Length || groups.Length != labels.Length)
            throw new ArgumentException($"Expected one source, offset and group per label ({labels.Length}); got {source.Length}, {offset.Length} and {groups.Length}.", nameof(labels));
        var dimension = featureNames.Count;
        for (var i = 0; i < labels.Length; i++)
        {
            if ((uint)source[i] >= (uint)sources.Length || offset[i] < 0 || (long)offset[i] + dimension > sources[source[i]].Length)
                throw new ArgumentException($"Row {i} (source {source[i]}, offset {offset[i]}) does not lie inside its source; each row needs {dimension} values.", nameof(offset));
            if (labels[i] > 1) throw new ArgumentException($"Label {i} is {labels[i]}; expected 0 or 1.", nameof(labels));
            Positives += labels[i];
        }

        FeatureNames = featureNames;
        _sources = sources;
        _source = source;
        _offset = offset;
        _labels = labels;
        _groups = groups;
    }

    /// <summary>Rows of a row-major matrix <paramref name="x"/> (n × <paramref name="featureNames"/>.Count), each its own group.</summary>
    public static PrefixRows FromMatrix(float[] x, byte[] labels, IReadOnlyList<string> featureNames)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(featureNames);
        if ((long)labels.Length * featureNames.Count != x.Length)
            throw new ArgumentException($"x has {x.Length} values; {labels.Length} labels × {featureNames.Count} features = {(long)labels.Length * featureNames.Count} were expected.", nameof(x));
        return new PrefixRows(featureNames, [x], new int[labels.Length], [.. Enumerable.Range(0, labels.Length).Select(i => i * featureNames.Count)], labels,
            [.. Enumerable.Range(0, labels.Length).Select(i => (long)i)]);
    }

    /// <summary>Names of the features, in row order.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Values per row.</summary>
    public int Dimension => FeatureNames.Count;

    /// <summary>Number of rows.</summary>
    public int Count => _labels.Length;

    /// <summary>Rows labelled 1.</summary>
    public int Positives { get; }

    /// <summary>True when both classes occur (a classifier can learn from the rows, a ranking metric is defined on them).</summary>
    public bool HasBothClasses => Positives > 0 && Positives < Count;

    /// <summary>The feature values of row <paramref name="i"/>.</summary>
    public ReadOnlySpan<float> Features(int i) => _sources[_source[i]].AsSpan(_offset[i], Dimension);

    /// <summary>The label (0 or 1) of row <paramref name="i"/>.</summary>
    public byte Label(int i) => _labels[i];

    /// <summary>Every label, in row order (a copy).</summary>
    public byte[] Labels() => (byte[])_labels.Clone();

    /// <summary>The group (session id) of row <paramref name="i"/>: rows of one session belong together when resampling.</summary>
    public long Group(int i) => _groups[i];

    /// <summary>Every group, in row order (a copy).</summary>
    public long[] Groups() => (long[])_groups.Clone();

    /// <summary>The rows as one row-major matrix (a copy).</summary>
    public float[] ToMatrix()
    {
        var x = new float[(long)Count * Dimension];
        for (var i = 0; i < Count; i++) Features(i).CopyTo(x.AsSpan(i * Dimension, Dimension));
        return x;
    }
}
