namespace MicroMoment.Evaluation;

/// <summary>
/// The prefix-length buckets used to report AUC by how many events of a session have been seen:
/// 1, 2, 3, 4–5, 6–10 and 11+.
/// </summary>
public static class PrefixLengthBuckets
{
    private static readonly string[] s_labels = ["1", "2", "3", "4-5", "6-10", "11+"];

    /// <summary>Number of buckets.</summary>
    public const int Count = 6;

    /// <summary>Display labels of the buckets, indexed by bucket key.</summary>
    public static IReadOnlyList<string> Labels => s_labels;

    /// <summary>The bucket key (0..5) of a prefix holding <paramref name="prefixLength"/> events.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The length is below 1.</exception>
    public static int Of(int prefixLength) => prefixLength switch
    {
        < 1 => throw new ArgumentOutOfRangeException(nameof(prefixLength), prefixLength, "A prefix holds at least 1 event."),
        1 => 0,
        2 => 1,
        3 => 2,
        <= 5 => 3,
        <= 10 => 4,
        _ => 5,
    };

    /// <summary>The display label of a bucket key.</summary>
    public static string Label(int bucket) =>
        bucket is >= 0 and < Count
            ? s_labels[bucket]
            : throw new ArgumentOutOfRangeException(nameof(bucket), bucket, $"Expected a bucket key in 0..{Count - 1}.");
}
