namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>Every acknowledged shopper's grain state against what the gateway acknowledged for them.</summary>
internal sealed class ReplayCheck(IReadOnlyList<ShopperCheck> shoppers)
{
    /// <summary>One row per shopper with at least one acknowledged event.</summary>
    public IReadOnlyList<ShopperCheck> Shoppers { get; } = shoppers;

    /// <summary>Events acknowledged, summed over shoppers.</summary>
    public long Acknowledged => Shoppers.Sum(s => (long)s.Acknowledged);

    /// <summary>Events the grains' state reflects, summed over shoppers.</summary>
    public long Applied => Shoppers.Sum(s => s.Applied);

    /// <summary>Acknowledged events the state does not reflect, summed over the shoppers missing some.</summary>
    public long Lost => Shoppers.Sum(s => Math.Max(0, s.Acknowledged - s.Applied));

    /// <summary>Events the state reflects beyond what was acknowledged (applied twice), summed over shoppers.</summary>
    public long AppliedTwice => Shoppers.Sum(s => Math.Max(0, s.Applied - s.Acknowledged));

    /// <summary>The shoppers whose state differs from what was acknowledged, one line each.</summary>
    public IEnumerable<string> Mismatches =>
        Shoppers.Where(s => s.Applied != s.Acknowledged).Select(s => $"{s.User}: acknowledged {s.Acknowledged}, applied {s.Applied}");
}
