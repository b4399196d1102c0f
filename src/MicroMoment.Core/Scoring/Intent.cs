namespace MicroMoment.Scoring;

/// <summary>The shopper's current intent as read from the two heads and their thresholds.</summary>
[Orleans.GenerateSerializer]
[Orleans.Alias("mm.Intent")]
public enum Intent : byte
{
    /// <summary>Neither head is above its threshold: the shopper is looking around.</summary>
    Research = 0,

    /// <summary>The buy head is at or above its threshold.</summary>
    Buy = 1,

    /// <summary>The exit head is at or above its threshold (and the buy head is not).</summary>
    Exit = 2,
}
