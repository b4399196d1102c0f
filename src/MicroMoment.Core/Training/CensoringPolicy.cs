namespace MicroMoment.Training;

/// <summary>
/// How buy labels are set for sessions cut off by the end of the log (their futures are unknown).
/// </summary>
public enum CensoringPolicy
{
    /// <summary>
    /// A cut-off session that shows no purchase before the log ends counts as a non-buyer (the default).
    /// In the REES46 head slice most sessions, and most purchasing sessions, are still running when the
    /// file ends, so dropping them would leave almost nothing; treating an unseen purchase as "no purchase"
    /// mislabels the few cut-off sessions that would have bought later.
    /// </summary>
    ObservedAsNegative,

    /// <summary>Prefixes of cut-off sessions without an observed purchase are not buy examples.</summary>
    DropUnknown,
}
