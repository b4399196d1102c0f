namespace MicroMoment.Client;

/// <summary>The answer to a batch: counts and one result per event, in order.</summary>
/// <param name="Received">Events in the batch.</param>
/// <param name="Accepted">Applied or recorded.</param>
/// <param name="Duplicate">Dropped as already applied.</param>
/// <param name="Rejected">Invalid.</param>
/// <param name="OptedOut">Not recorded: the shopper opted out.</param>
/// <param name="Overloaded">Not applied: retry them.</param>
/// <param name="Results">One result per event, in order.</param>
public sealed record IngestResult(int Received, int Accepted, int Duplicate, int Rejected, int OptedOut, int Overloaded, IReadOnlyList<EventResult> Results)
{
    /// <summary>The offers fired by the batch's events.</summary>
    public IEnumerable<Offer> Offers => Results.Where(r => r.Decision?.Offer is not null).Select(r => r.Decision!.Offer!);
}
