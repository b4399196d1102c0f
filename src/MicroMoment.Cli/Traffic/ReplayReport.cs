namespace MicroMoment.Cli.Traffic;

/// <summary>What a replay did.</summary>
/// <param name="Events">Events replayed.</param>
/// <param name="Accepted">Applied by the silo.</param>
/// <param name="Duplicates">Dropped as already applied (e.g. a second replay of the same log).</param>
/// <param name="Rejected">Rejected, per reason.</param>
/// <param name="OptedOut">Not recorded: the shopper opted out.</param>
/// <param name="OverloadRetries">Events answered overloaded and sent again.</param>
/// <param name="RateLimitRetries">Requests refused by the rate limit and sent again.</param>
/// <param name="OffersFired">Offers the trigger policy fired.</param>
/// <param name="Requests">HTTP requests answered.</param>
/// <param name="Elapsed">Wall time.</param>
/// <param name="RequestLatency">Request round trips.</param>
internal sealed record ReplayReport(
    long Events,
    long Accepted,
    long Duplicates,
    IReadOnlyDictionary<string, long> Rejected,
    long OptedOut,
    long OverloadRetries,
    long RateLimitRetries,
    long OffersFired,
    long Requests,
    TimeSpan Elapsed,
    LatencySamples RequestLatency)
{
    /// <summary>Events answered per second of wall time.</summary>
    public double EventsPerSecond => Events / Math.Max(Elapsed.TotalSeconds, 1e-9);

    /// <summary>Rejected events in all.</summary>
    public long RejectedTotal => Rejected.Values.Sum();
}
