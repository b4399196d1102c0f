using MicroMoment.Scoring;

namespace MicroMoment.Silo.Triggers;

/// <summary>
/// A compiled, versioned trigger policy bound to a model's clusters (immutable, shared by all grains; a reload
/// swaps the whole object). Rules are ordered by priority (highest first, then as declared).
/// </summary>
public sealed class Policy
{
    private readonly float[][] _thresholds;

    /// <summary>Compiles <paramref name="rules"/> against <paramref name="binding"/>; thresholds are resolved per cluster index.</summary>
    public Policy(
        string version, string source, IReadOnlyList<PolicyRule> rules, IReadOnlyList<PolicyExperiment> experiments, PolicyBinding binding,
        int maxOffersPerSession = 1, TimeSpan? proposalTimeToLive = null, int offerMemory = 8, TimeSpan? attributionWindow = null,
        TimeZoneInfo? timeZone = null, MonitoringLimits? monitoring = null)
    {
        Version = version;
        Source = source;
        Rules = [.. rules.Select((r, i) => (r, i)).OrderByDescending(x => x.r.Priority).ThenBy(x => x.i).Select(x => x.r)];
        Experiments = experiments;
        MaxOffersPerSession = maxOffersPerSession;
        ProposalTimeToLive = proposalTimeToLive ?? TimeSpan.FromMinutes(2);
        OfferMemory = offerMemory;
        AttributionWindow = attributionWindow ?? TimeSpan.FromMinutes(30);
        TimeZone = timeZone ?? TimeZoneInfo.Utc;
        Monitoring = monitoring ?? MonitoringLimits.Default;
        ClusterNames = binding.ClusterNames;
        _thresholds = new float[Rules.Count][];
        for (int r = 0; r < Rules.Count; r++)
        {
            var rule = Rules[r];
            float fallback = rule.DefaultThreshold ?? rule.Intent switch
            {
                Intent.Buy => binding.BuyThreshold,
                Intent.Exit => binding.ExitThreshold,
                _ => 1f - LargerScore(binding.BuyThreshold, binding.ExitThreshold),
            };
            var byCluster = new float[Math.Max(1, binding.ClusterNames.Count)];
            for (int c = 0; c < byCluster.Length; c++)
                byCluster[c] = c < binding.ClusterNames.Count && rule.ClusterThresholds.TryGetValue(binding.ClusterNames[c], out float t) ? t : fallback;
            _thresholds[r] = byCluster;
        }
    }

    /// <summary>The version label recorded on every offer this policy fires.</summary>
    public string Version { get; }

    /// <summary>Where it came from (file path or "built-in").</summary>
    public string Source { get; }

    /// <summary>Rules, highest priority first.</summary>
    public IReadOnlyList<PolicyRule> Rules { get; }

    /// <summary>Experiments.</summary>
    public IReadOnlyList<PolicyExperiment> Experiments { get; }

    /// <summary>Most offers per session over all rules.</summary>
    public int MaxOffersPerSession { get; }

    /// <summary>How long (silo clock) a proposal waits for "shown".</summary>
    public TimeSpan ProposalTimeToLive { get; }

    /// <summary>Offers each user grain remembers.</summary>
    public int OfferMemory { get; }

    /// <summary>A purchase within this time (event time) after an offer or a holdout exposure is credited to it.</summary>
    public TimeSpan AttributionWindow { get; }

    /// <summary>The time zone whose calendar days the daily caps count.</summary>
    public TimeZoneInfo TimeZone { get; }

    /// <summary>Alert limits.</summary>
    public MonitoringLimits Monitoring { get; }

    /// <summary>The model's cluster names the thresholds were resolved against.</summary>
    public IReadOnlyList<string> ClusterNames { get; }

    /// <summary>The signal a rule of <paramref name="intent"/> compares with its threshold: the buy score (buy), the exit
    /// score (exit), or 1 − the larger of the two (research). A head the model does not have scores NaN: a rule on it
    /// never reaches its threshold, and research reads the other head alone.</summary>
    public static float Signal(Intent intent, float buy, float exit) => intent switch
    {
        Intent.Buy => buy,
        Intent.Exit => exit,
        _ => 1f - LargerScore(buy, exit),
    };

    /// <summary>The larger of two scores, ignoring a missing (NaN) one; NaN only when both are missing.</summary>
    private static float LargerScore(float a, float b) => float.IsNaN(a) ? b : float.IsNaN(b) ? a : Math.Max(a, b);

    /// <summary>Threshold of rule <paramref name="rule"/> (index in <see cref="Rules"/>) for <paramref name="cluster"/>.</summary>
    public float Threshold(int rule, int cluster)
    {
        var t = _thresholds[rule];
        return (uint)cluster < (uint)t.Length ? t[cluster] : t[0];
    }

    /// <summary>The rule index named <paramref name="name"/>, or −1.</summary>
    public int IndexOf(string? name)
    {
        for (int i = 0; i < Rules.Count; i++)
        {
            if (string.Equals(Rules[i].Name, name, StringComparison.Ordinal)) return i;
        }

        return -1;
    }

    /// <summary>
    /// The built-in policy equivalent to <see cref="TriggerPolicyOptions"/>: buy intent → discount with a cart,
    /// recommendation without; exit intent → popup; one shared cooldown; a cap per session.
    /// </summary>
    public static Policy FromOptions(TriggerPolicyOptions options, PolicyBinding binding)
    {
        ArgumentNullException.ThrowIfNull(options);
        var byName = new Dictionary<string, float>();
        if (options.BuyThresholdByCluster is { } map)
        {
            foreach (var (cluster, threshold) in map)
            {
                if (cluster >= binding.ClusterNames.Count)
                    throw new ArgumentException($"TriggerPolicyOptions.BuyThresholdByCluster names cluster {cluster}; the model has clusters 0..{binding.ClusterNames.Count - 1}.", nameof(options));
                byName[binding.ClusterNames[cluster]] = threshold;
            }
        }

        PolicyRule Buy(string name, OfferType offer, CartCondition cart, int priority) => new()
        {
            Name = name, Intent = Intent.Buy, Offer = offer, Cart = cart, Priority = priority, Campaign = "default",
            DefaultThreshold = options.BuyThreshold, ClusterThresholds = byName, Cooldown = options.Cooldown, MaxCooldown = options.Cooldown,
        };

        var rules = new[]
        {
            Buy("buy-intent-cart", OfferType.Discount, CartCondition.Required, 20),
            Buy("buy-intent", OfferType.Recommendation, CartCondition.Any, 10),
            new PolicyRule
            {
                Name = "exit-risk", Intent = Intent.Exit, Offer = OfferType.Popup, Priority = 0, Campaign = "default",
                DefaultThreshold = options.ExitThreshold, Cooldown = options.Cooldown, MaxCooldown = options.Cooldown,
            },
        };
        return new Policy(options.PolicyVersion, "built-in", rules, [], binding, options.MaxOffersPerSession, options.ProposalTimeToLive, options.OfferMemory);
    }
}
