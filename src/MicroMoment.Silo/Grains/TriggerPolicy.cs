using System.Globalization;
using MicroMoment.Scoring;

namespace MicroMoment.Silo.Grains;

/// <summary>
/// The simple trigger policy shared by all trigger grains of a silo (immutable): a buy threshold per cluster,
/// an exit threshold, one cooldown between offers and a cap of offers per session. Buy intent fires a discount
/// when the session has a cart and a recommendation otherwise; exit intent fires a "still deciding?" popup;
/// research intent fires nothing.
/// </summary>
internal sealed class TriggerPolicy
{
    private static readonly string[] ReasonCodes = ["below-threshold", "cooldown", "session-cap", "no-consent", "opted-out"];
    private static readonly TriggerDecision[] Suppressions = [.. ReasonCodes.Select(r => new TriggerDecision(null, r))];

    private readonly float[] _buyThresholds;

    /// <summary>Builds the policy for <paramref name="model"/> from validated options.</summary>
    public TriggerPolicy(MicroMomentModel model, TriggerPolicyOptions options, ClusterCentroidGrain clusters)
    {
        Options = options;
        Clusters = clusters;
        float fallback = options.BuyThreshold ?? model.BuyThreshold;
        _buyThresholds = new float[clusters.Count];
        for (int c = 0; c < _buyThresholds.Length; c++)
            _buyThresholds[c] = options.BuyThresholdByCluster is { } map && map.TryGetValue(c, out var t) ? t : fallback;
        if (options.BuyThresholdByCluster is { } all && all.Keys.FirstOrDefault(c => c >= clusters.Count, -1) is var bad and >= 0)
            throw new ArgumentException($"TriggerPolicyOptions.BuyThresholdByCluster names cluster {bad}; the model has clusters 0..{clusters.Count - 1}.", nameof(options));
        ExitThreshold = options.ExitThreshold ?? model.ExitThreshold;
        Cooldown = options.Cooldown;
        ProposalTimeToLive = options.ProposalTimeToLive;
    }

    /// <summary>The options the policy was built from.</summary>
    public TriggerPolicyOptions Options { get; }

    /// <summary>The model's clusters (for names in reasons).</summary>
    public ClusterCentroidGrain Clusters { get; }

    /// <summary>The exit threshold.</summary>
    public float ExitThreshold { get; }

    /// <summary>The cooldown between offers (event time).</summary>
    public TimeSpan Cooldown { get; }

    /// <summary>How long a proposal waits for "shown" (silo clock).</summary>
    public TimeSpan ProposalTimeToLive { get; }

    /// <summary>The statistics and API code of a suppression reason.</summary>
    public static string ReasonCode(SuppressionReason reason) => ReasonCodes[(int)reason];

    /// <summary>All reason codes, by <see cref="SuppressionReason"/> value.</summary>
    public static IReadOnlyList<string> AllReasonCodes => ReasonCodes;

    /// <summary>The shared (allocation-free) decision for a suppression.</summary>
    public static TriggerDecision Suppression(SuppressionReason reason) => Suppressions[(int)reason];

    /// <summary>The index of a shared suppression decision (its <see cref="SuppressionReason"/> value), or 255 for any other decision.</summary>
    public static int IndexOf(TriggerDecision decision)
    {
        int i = Array.IndexOf(Suppressions, decision);
        return i < 0 ? byte.MaxValue : i;
    }

    /// <summary>The shared suppression decision at <paramref name="index"/>, or null when there is none.</summary>
    public static TriggerDecision? SuppressionAt(int index) => (uint)index < (uint)Suppressions.Length ? Suppressions[index] : null;

    /// <summary>The buy threshold of <paramref name="cluster"/>.</summary>
    public float BuyThreshold(int cluster) => (uint)cluster < (uint)_buyThresholds.Length ? _buyThresholds[cluster] : _buyThresholds[0];

    /// <summary>
    /// Decides after one scored event. Returns null when an offer should fire (then <paramref name="type"/> and
    /// <paramref name="rule"/> say which), otherwise the reason it should not. Allocates nothing.
    /// </summary>
    public SuppressionReason? Decide(
        bool offersAllowed, in EventScore score, bool hasCart, long eventTicks, long sessionStartTicks, TriggerGrain? trigger,
        out OfferType type, out TriggerRule rule)
    {
        type = default;
        rule = default;
        if (!offersAllowed) return SuppressionReason.NoConsent;
        if (score.BuyProbability >= BuyThreshold(score.Cluster))
        {
            rule = TriggerRule.Buy;
            type = hasCart ? OfferType.Discount : OfferType.Recommendation;
        }
        else if (score.ExitProbability >= ExitThreshold)
        {
            rule = TriggerRule.Exit;
            type = OfferType.Popup;
        }
        else
        {
            return SuppressionReason.BelowThreshold;
        }

        if (trigger is not null)
        {
            if (trigger.OffersIn(sessionStartTicks) >= Options.MaxOffersPerSession) return SuppressionReason.SessionCap;
            if (trigger.HasOffered && eventTicks - trigger.LastOfferTicks < Cooldown.Ticks) return SuppressionReason.Cooldown;
        }

        return null;
    }

    /// <summary>The reason text of a fired offer, naming the scores and the rule.</summary>
    public string Explain(TriggerRule rule, OfferType type, in EventScore score)
    {
        string cluster = Clusters.NameOf(score.Cluster) ?? score.Cluster.ToString(CultureInfo.InvariantCulture);
        return rule == TriggerRule.Buy
            ? string.Create(CultureInfo.InvariantCulture,
                $"buy {score.BuyProbability:0.000} >= {BuyThreshold(score.Cluster):0.000} (buy threshold of cluster '{cluster}'); exit {score.ExitProbability:0.000}; rule buy-intent -> {(type == OfferType.Discount ? "discount (cart in session)" : "recommendation (no cart yet)")}")
            : string.Create(CultureInfo.InvariantCulture,
                $"exit {score.ExitProbability:0.000} >= {ExitThreshold:0.000} (exit threshold); buy {score.BuyProbability:0.000} < {BuyThreshold(score.Cluster):0.000} (cluster '{cluster}'); rule exit-risk -> popup");
    }
}
