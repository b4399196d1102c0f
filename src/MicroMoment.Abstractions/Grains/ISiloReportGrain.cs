namespace MicroMoment.Grains;

/// <summary>
/// One silo's own numbers for the dashboards: keyed by the silo's parsable address (<c>SiloAddress.ToParsableString()</c>),
/// placed on exactly that silo (one small activation per silo), and answering with that silo's counters.
/// </summary>
[Alias("mm.ISiloReportGrain")]
public interface ISiloReportGrain : IGrainWithStringKey
{
    /// <summary>The counters of the silo this grain lives on, now.</summary>
    [Alias("Get")]
    Task<SiloReport> GetAsync();
}
