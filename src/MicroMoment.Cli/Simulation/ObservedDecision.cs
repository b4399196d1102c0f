namespace MicroMoment.Cli.Simulation;

/// <summary>
/// One scored event and the trigger's decision after it, as either path reports it: the in-process simulation (from
/// the silo's <c>IngestOutcome</c>) or a live replay through the gateway (from the API's per-event result).
/// </summary>
/// <param name="UserId">The shopper.</param>
/// <param name="At">Event time (UTC).</param>
/// <param name="Purchase">The event is a purchase.</param>
/// <param name="NewSession">The grain opened a new session with this event.</param>
/// <param name="Buy">Buy probability after the event.</param>
/// <param name="Exit">Exit probability after the event.</param>
/// <param name="Cluster">Behavioral cluster after the event.</param>
/// <param name="Fired">An offer was made.</param>
/// <param name="SuppressedBecause">The reason code when no offer was made (e.g. below-threshold, holdout).</param>
internal readonly record struct ObservedDecision(
    string UserId,
    DateTime At,
    bool Purchase,
    bool NewSession,
    float Buy,
    float Exit,
    int Cluster,
    bool Fired,
    string? SuppressedBecause)
{
    /// <summary>The policy decided to act here: an offer, or a holdout shopper's would-be offer (a fire point).</summary>
    public bool FirePoint => Fired || SuppressedBecause == Silo.TriggerDecision.HoldoutReason;
}
