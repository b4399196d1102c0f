namespace MicroMoment.Gateway.Telemetry;

/// <summary>A duration instrument's distribution over the last interval and over the whole run.</summary>
/// <param name="Interval">Since the previous reading.</param>
/// <param name="Total">Since start.</param>
internal sealed record DurationSnapshot(Summary Interval, Summary Total)
{
    /// <summary>Nothing recorded.</summary>
    public static DurationSnapshot Empty { get; } = new(Summary.Empty, Summary.Empty);
}
