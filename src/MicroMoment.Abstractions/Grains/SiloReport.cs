namespace MicroMoment.Grains;

/// <summary>One silo's counters since it started (see <see cref="ISiloReportGrain"/>).</summary>
/// <param name="Silo">The parsable address of the silo that answered (where the grain really runs).</param>
/// <param name="EventsHandled">Events its user grains handled, every outcome (accepted, duplicate, rejected, opted out, overloaded).</param>
/// <param name="EventsAccepted">Events its user grains applied.</param>
/// <param name="UserGrains">User grains active on it now.</param>
/// <param name="TakenAt">When it counted (UTC, its own clock).</param>
[GenerateSerializer]
[Alias("mm.SiloReport")]
[Immutable]
public sealed record SiloReport(
    [property: Id(0)] string Silo,
    [property: Id(1)] long EventsHandled,
    [property: Id(2)] long EventsAccepted,
    [property: Id(3)] long UserGrains,
    [property: Id(4)] DateTime TakenAt);
