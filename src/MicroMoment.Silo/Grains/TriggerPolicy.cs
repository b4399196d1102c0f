using System.Globalization;
using MicroMoment.Scoring;
using MicroMoment.Silo.Triggers;

namespace MicroMoment.Silo.Grains;

/// <summary>The suppression reason codes (statistics and API) and the words of a fired offer's reason.</summary>
internal static class TriggerPolicy
{
    private static readonly string[] ReasonCodes =
        ["below-threshold", "cooldown", "session-cap", "no-consent", "opted-out", "unconfirmed", "debounce", "daily-cap", "campaign-cap", "context", "after-purchase", TriggerDecision.HoldoutReason];

    private static readonly TriggerDecision[] Suppressions = [.. ReasonCodes.Select(r => new TriggerDecision(null, r))];

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

    /// <summary>A score as the reason text shows it: three decimals, or "none" for a head the model does not have.</summary>
    private static string Score(float probability) =>
        float.IsNaN(probability) ? "none" : probability.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>The reason text of a fired offer, naming the signal, the threshold, the cluster and the rule.</summary>
    public static string Explain(Policy policy, int rule, in EventScore score, bool hasCart)
    {
        var r = policy.Rules[rule];
        string cluster = (uint)score.Cluster < (uint)policy.ClusterNames.Count ? policy.ClusterNames[score.Cluster] : score.Cluster.ToString(CultureInfo.InvariantCulture);
        string signal = r.Intent switch { Intent.Buy => "buy", Intent.Exit => "exit", _ => "research" };
        string offer = r.Offer.ToString().ToLowerInvariant() + (r.Cart == CartCondition.Required || (r.Offer == OfferType.Recommendation && !hasCart) ? (hasCart ? " (cart in session)" : " (no cart yet)") : "");
        return string.Create(CultureInfo.InvariantCulture,
            $"{signal} {RuleEvaluator.Signal(r.Intent, score):0.000} >= {policy.Threshold(rule, score.Cluster):0.000} ({signal} threshold of cluster '{cluster}'); buy {Score(score.BuyProbability)}, exit {Score(score.ExitProbability)}; rule {r.Name} -> {offer}; policy {policy.Version}");
    }
}
