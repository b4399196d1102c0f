namespace MicroMoment.Silo.Triggers;

/// <summary>One shopper's exposure to one experiment: when it last reached a fire point and whether it converted.</summary>
internal sealed class ExperimentMark(string experiment)
{
    /// <summary>The experiment's name.</summary>
    public string Experiment { get; } = experiment;

    /// <summary>Event ticks of the latest fire point (offer or holdout exposure).</summary>
    public long ExposedTicks;

    /// <summary>True once a conversion was counted for this shopper.</summary>
    public bool Converted;
}
