namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>A fact that runs only by hand: skipped unless <c>MICROMOMENT_SOAK=1</c> (tools/cluster-soak.sh sets it).</summary>
public sealed class SoakFactAttribute : FactAttribute
{
    public SoakFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("MICROMOMENT_SOAK") != "1") Skip = "A hand-run soak: tools/cluster-soak.sh (MICROMOMENT_SOAK=1).";
    }
}
