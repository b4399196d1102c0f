using System.Security.Cryptography;
using System.Text;

namespace MicroMoment.Features;

/// <summary>
/// The identity of the model input: a version and the ordered feature names (raw features, then one slot per
/// behavioral cluster). Two schemas are equal exactly when their <see cref="Hash"/> is, so a model file whose
/// schema hash differs from the running code's is rejected instead of silently mis-reading features.
/// </summary>
public sealed class FeatureSchema : IEquatable<FeatureSchema>
{
    /// <summary>The version of the feature code; bump it whenever a feature's meaning changes without its name changing.</summary>
    public const int CurrentVersion = 1;

    /// <summary>The prefix of the cluster one-hot names ("cluster_0", "cluster_1", ...).</summary>
    public const string ClusterPrefix = "cluster_";

    private readonly string[] _names;

    /// <summary>Creates a schema from a version and ordered names (for loading from a model file).</summary>
    /// <exception cref="ArgumentException">No names, or a name is empty, holds a line break, or repeats.</exception>
    public FeatureSchema(int version, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (version <= 0) throw new ArgumentOutOfRangeException(nameof(version), version, "A feature schema version must be positive.");
        _names = names.ToArray();
        if (_names.Length == 0) throw new ArgumentException("A feature schema needs at least one feature name.", nameof(names));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < _names.Length; i++)
        {
            string? name = _names[i];
            if (string.IsNullOrWhiteSpace(name))
                throw new ArgumentException($"Feature name {i} is empty; every feature needs a name.", nameof(names));
            if (name.AsSpan().IndexOfAny('\n', '\r') >= 0)
                throw new ArgumentException($"Feature name {i} ('{name.ReplaceLineEndings(" ")}') holds a line break; names are single-line.", nameof(names));
            if (!seen.Add(name))
                throw new ArgumentException($"Feature name '{name}' appears twice; names must be unique.", nameof(names));
        }
        Version = version;
        Names = Array.AsReadOnly(_names);
        Hash = ComputeHash(version, _names);
    }

    /// <summary>The schema this build produces for <paramref name="clusterCount"/> clusters: raw names, then cluster one-hots.</summary>
    public static FeatureSchema Create(int clusterCount)
    {
        if (clusterCount <= 0)
            throw new ArgumentOutOfRangeException(nameof(clusterCount), clusterCount, "The cluster count must be at least 1.");
        var names = new List<string>(FeatureEncoder.RawDimension + clusterCount);
        names.AddRange(FeatureEncoder.RawNames);
        for (int c = 0; c < clusterCount; c++) names.Add(ClusterPrefix + c.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new FeatureSchema(CurrentVersion, names);
    }

    /// <summary>The feature code version.</summary>
    public int Version { get; }

    /// <summary>The ordered feature names.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The number of features.</summary>
    public int Count => _names.Length;

    /// <summary>Lower-case hex SHA-256 of "v{version}" and the names, one per line.</summary>
    public string Hash { get; }

    /// <inheritdoc />
    public bool Equals(FeatureSchema? other) => other is not null && string.Equals(Hash, other.Hash, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as FeatureSchema);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Hash);

    /// <summary>True when both are null or both have the same hash.</summary>
    public static bool operator ==(FeatureSchema? left, FeatureSchema? right) => left is null ? right is null : left.Equals(right);

    /// <summary>True when exactly one is null or the hashes differ.</summary>
    public static bool operator !=(FeatureSchema? left, FeatureSchema? right) => !(left == right);

    /// <inheritdoc />
    public override string ToString() => $"FeatureSchema v{Version}, {Count} features, {Hash[..12]}";

    private static string ComputeHash(int version, string[] names)
    {
        var text = new StringBuilder();
        text.Append('v').Append(version.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        foreach (string name in names) text.Append(name).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
