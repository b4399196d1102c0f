namespace MicroMoment.Silo;

/// <summary>A silo that can count what its active grains hold (for operators; walks every grain, so not per event).</summary>
public interface ISiloCensus
{
    /// <summary>Counts open sessions per cluster and intent, and lists the <paramref name="hottest"/> active grains with the most events applied.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hottest"/> is negative or above 1000.</exception>
    ValueTask<SessionCensus> CensusAsync(int hottest, CancellationToken cancellationToken = default);
}
