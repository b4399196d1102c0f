namespace MicroMoment.Silo.Triggers;

/// <summary>One shopper's exposure to one experiment: when it last reached a fire point and whether it converted.</summary>
[GenerateSerializer]
[Alias("mm.ExperimentMark")]
internal sealed class ExperimentMark
{
    /// <summary>Creates the record for <paramref name="experiment"/>.</summary>
    public ExperimentMark(string experiment) => Experiment = experiment;

    /// <summary>For the serializer.</summary>
    public ExperimentMark()
    {
    }

    /// <summary>The experiment's name.</summary>
    [Id(0)]
    public string Experiment { get; init; } = "";

    /// <summary>Event ticks of the latest fire point (offer or holdout exposure).</summary>
    [Id(1)]
    public long ExposedTicks;

    /// <summary>True once a conversion was counted for this shopper.</summary>
    [Id(2)]
    public bool Converted;
}
