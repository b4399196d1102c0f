namespace MicroMoment.Cli.Traffic;

/// <summary>What a simulation did and how fast the gateway answered.</summary>
/// <param name="Sent">Events sent.</param>
/// <param name="Accepted">Events applied.</param>
/// <param name="NotAccepted">Events answered otherwise (rejected, duplicate, opted out, overloaded).</param>
/// <param name="RateLimited">Messages refused by the connection's rate limit (and sent again).</param>
/// <param name="Offers">Offers fired.</param>
/// <param name="Elapsed">Wall time of the send phase.</param>
/// <param name="Exhausted">True when the synthetic traffic ran out before the duration.</param>
/// <param name="AckLatency">Per event: from when it was due to its ack.</param>
/// <param name="OfferLatency">Per fired offer: from when the event that fired it was due to the offer's arrival on the stream.</param>
internal sealed record SimulationReport(long Sent, long Accepted, long NotAccepted, long RateLimited, long Offers, TimeSpan Elapsed, bool Exhausted, LatencySamples AckLatency, LatencySamples OfferLatency)
{
    /// <summary>Events sent per second.</summary>
    public double AchievedRate => Sent / Math.Max(Elapsed.TotalSeconds, 1e-9);
}
