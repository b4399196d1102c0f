namespace MicroMoment.Silo;

/// <summary>The simple trigger policy: thresholds, cooldown, per-session cap and proposal expiry.</summary>
public sealed record TriggerPolicyOptions
{
    /// <summary>Buy threshold per cluster index; clusters not listed use <see cref="BuyThreshold"/>.</summary>
    public IReadOnlyDictionary<int, float>? BuyThresholdByCluster { get; init; }

    /// <summary>Buy threshold for clusters without their own. Default (null): the model's buy threshold.</summary>
    public float? BuyThreshold { get; init; }

    /// <summary>Exit threshold. Default (null): the model's exit threshold.</summary>
    public float? ExitThreshold { get; init; }

    /// <summary>Least event time between two offers to one shopper. Default 5 minutes.</summary>
    public TimeSpan Cooldown { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Most offers per session. Default 1.</summary>
    public int MaxOffersPerSession { get; init; } = 1;

    /// <summary>How long (silo clock) a proposed offer waits for "shown" before it expires. Default 2 minutes.</summary>
    public TimeSpan ProposalTimeToLive { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Offers each user grain remembers for feedback and the view (oldest forgotten first). Default 8.</summary>
    public int OfferMemory { get; init; } = 8;

    /// <summary>The label recorded on every offer.</summary>
    public string PolicyVersion { get; init; } = "simple-1";

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (BuyThreshold is { } buy && !(buy is > 0f and <= 1f))
            throw new ArgumentException($"TriggerPolicyOptions.BuyThreshold is {buy}; expected a probability in (0, 1].", nameof(BuyThreshold));
        if (ExitThreshold is { } exit && !(exit is > 0f and <= 1f))
            throw new ArgumentException($"TriggerPolicyOptions.ExitThreshold is {exit}; expected a probability in (0, 1].", nameof(ExitThreshold));
        if (BuyThresholdByCluster is not null)
        {
            foreach (var (cluster, threshold) in BuyThresholdByCluster)
            {
                if (cluster < 0)
                    throw new ArgumentException($"TriggerPolicyOptions.BuyThresholdByCluster has cluster {cluster}; expected cluster indexes of 0 or more.", nameof(BuyThresholdByCluster));
                if (!(threshold is > 0f and <= 1f))
                    throw new ArgumentException($"TriggerPolicyOptions.BuyThresholdByCluster[{cluster}] is {threshold}; expected a probability in (0, 1].", nameof(BuyThresholdByCluster));
            }
        }
        if (Cooldown < TimeSpan.Zero)
            throw new ArgumentException($"TriggerPolicyOptions.Cooldown is {Cooldown}; expected zero or more.", nameof(Cooldown));
        if (MaxOffersPerSession < 1)
            throw new ArgumentException($"TriggerPolicyOptions.MaxOffersPerSession is {MaxOffersPerSession}; expected at least 1.", nameof(MaxOffersPerSession));
        if (ProposalTimeToLive <= TimeSpan.Zero)
            throw new ArgumentException($"TriggerPolicyOptions.ProposalTimeToLive is {ProposalTimeToLive}; expected a positive time.", nameof(ProposalTimeToLive));
        if (OfferMemory is < 1 or > 1_000)
            throw new ArgumentException($"TriggerPolicyOptions.OfferMemory is {OfferMemory}; expected 1 to 1,000 offers.", nameof(OfferMemory));
        if (string.IsNullOrWhiteSpace(PolicyVersion))
            throw new ArgumentException("TriggerPolicyOptions.PolicyVersion is blank; expected a label such as \"simple-1\".", nameof(PolicyVersion));
    }
}
