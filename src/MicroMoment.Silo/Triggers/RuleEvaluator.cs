using System.Numerics;
using MicroMoment.Scoring;
using MicroMoment.Silo.Grains;

namespace MicroMoment.Silo.Triggers;

/// <summary>
/// Runs a policy's rules over one scored event and a shopper's <see cref="TriggerState"/>. Every rule's history is
/// updated; then rules are tried by priority through the gates — consent (the rule's category), threshold (cluster's), cart, variant,
/// confirmation (k of n / sustained), context, after-purchase, caps (policy per session, rule per session, per day in
/// the shopper's time zone or else the policy's, per campaign), cooldown with back-off, debounce, holdout — and the first that passes all fires. When none does,
/// the reason is that of the highest-priority rule that got past its threshold (else below-threshold). A holdout
/// shopper's fire point is recorded like an offer (caps and cooldown apply alike) but nothing is offered.
/// Allocates nothing once a shopper's gates exist.
/// </summary>
internal static class RuleEvaluator
{
    /// <summary>Decides; returns null when <paramref name="rule"/> fires, else the reason (Holdout: <paramref name="rule"/> would have fired).</summary>
    public static SuppressionReason? Evaluate(Policy policy, TriggerState state, in TriggerInput input, AttributionLedger? ledger, out int rule)
    {
        rule = -1;
        long now = input.EventTicks;
        if (state.SessionStartTicks != input.SessionStartTicks)
        {
            state.SessionStartTicks = input.SessionStartTicks;
            state.OffersInSession = 0;
        }

        if (input.IsPurchase)
        {
            state.PurchaseSessionStartTicks = input.SessionStartTicks;
            Convert(policy, state, input, ledger);
        }

        var rules = policy.Rules;
        for (int i = 0; i < rules.Count; i++)
        {
            bool above = Signal(rules[i].Intent, input.Score) >= policy.Threshold(i, input.Score.Cluster);
            var gate = above ? state.GateOrAdd(rules[i].Name) : state.Gate(rules[i].Name);
            if (gate is null) continue;
            if (gate.SessionStartTicks != input.SessionStartTicks)
            {
                gate.SessionStartTicks = input.SessionStartTicks;
                gate.History = 0;
                gate.SessionCount = 0;
                gate.AboveSinceTicks = 0;
                gate.EligibleSinceTicks = 0;
            }

            gate.History = (gate.History << 1) | (above ? 1UL : 0UL);
            gate.AboveSinceTicks = above ? (gate.AboveSinceTicks == 0 ? now : gate.AboveSinceTicks) : 0;
            if (!above) gate.EligibleSinceTicks = 0;
        }

        SuppressionReason? reason = null;
        for (int i = 0; i < rules.Count; i++)
        {
            var r = rules[i];
            var gate = state.Gate(r.Name);
            SuppressionReason? why = Gates(policy, r, gate, state, input, out bool holdout);
            if (why is null)
            {
                rule = i;
                Record(policy, r, gate!, state, input, ledger, holdout);
                return holdout ? SuppressionReason.Holdout : null;
            }

            if (gate is not null && why != SuppressionReason.Debounce) gate.EligibleSinceTicks = 0;
            if (why != SuppressionReason.BelowThreshold && reason is null) reason = why;
        }

        return reason ?? SuppressionReason.BelowThreshold;
    }

    /// <summary>True when any rule's signal reaches its threshold (a shopper without trigger state needs one only then).</summary>
    public static bool AnyAbove(Policy policy, in EventScore score)
    {
        for (int i = 0; i < policy.Rules.Count; i++)
        {
            if (Signal(policy.Rules[i].Intent, score) >= policy.Threshold(i, score.Cluster)) return true;
        }

        return false;
    }

    /// <summary>The reason for a shopper without trigger state when no rule reaches its threshold.</summary>
    public static SuppressionReason Quiet(Policy policy, Consent consent)
    {
        foreach (var r in policy.Rules)
        {
            if (r.Consent is { } category && !consent.Grants(category)) return SuppressionReason.NoConsent;
        }

        return SuppressionReason.BelowThreshold;
    }

    /// <summary>The signal a rule of <paramref name="intent"/> compares with its threshold.</summary>
    public static float Signal(Intent intent, in EventScore score) => Policy.Signal(intent, score.BuyProbability, score.ExitProbability);

    /// <summary>The cooldown after <paramref name="dismissals"/> consecutive dismissals: base × backoff^d, at most the maximum.</summary>
    public static long CooldownTicks(PolicyRule rule, int dismissals)
    {
        double ticks = rule.Cooldown.Ticks * Math.Pow(rule.Backoff, dismissals);
        return ticks >= rule.MaxCooldown.Ticks ? rule.MaxCooldown.Ticks : (long)ticks;
    }

    /// <summary>The calendar day number of <paramref name="ticks"/> (UTC) in <paramref name="zone"/>.</summary>
    public static int DayOf(long ticks, TimeZoneInfo zone) =>
        (int)(TimeZoneInfo.ConvertTimeFromUtc(new DateTime(ticks, DateTimeKind.Utc), zone).Ticks / TimeSpan.TicksPerDay);

    private static SuppressionReason? Gates(Policy policy, PolicyRule r, RuleGate? gate, TriggerState state, in TriggerInput input, out bool holdout)
    {
        holdout = false;
        long now = input.EventTicks;
        if (r.Consent is { } category && !input.Consent.Grants(category)) return SuppressionReason.NoConsent;
        if (gate is null || (gate.History & 1) == 0) return SuppressionReason.BelowThreshold;
        if (r.Cart == CartCondition.Required && !input.HasCart) return SuppressionReason.BelowThreshold;
        if (r.Cart == CartCondition.Absent && input.HasCart) return SuppressionReason.BelowThreshold;
        for (int x = 0; x < policy.Experiments.Count; x++)
        {
            var e = policy.Experiments[x];
            if (!e.Governs(r.Name)) continue;
            int v = ExperimentAssigner.Assign(e, input.Tenant, input.UserId);
            if (v == ExperimentAssigner.Holdout) holdout = true;
            else if (!e.Enables(v, r.Name)) return SuppressionReason.BelowThreshold;
        }

        ulong window = r.ConfirmN >= 64 ? ulong.MaxValue : (1UL << r.ConfirmN) - 1;
        if (BitOperations.PopCount(gate.History & window) < r.ConfirmK) return SuppressionReason.Unconfirmed;
        if (r.Sustained > TimeSpan.Zero && now - gate.AboveSinceTicks < r.Sustained.Ticks) return SuppressionReason.Unconfirmed;
        if (input.Page is { } page && r.SuppressContexts.Count > 0)
        {
            for (int c = 0; c < r.SuppressContexts.Count; c++)
            {
                if (string.Equals(r.SuppressContexts[c], page, StringComparison.OrdinalIgnoreCase)) return SuppressionReason.Context;
            }
        }

        if (r.SuppressAfterPurchase && state.PurchaseSessionStartTicks == input.SessionStartTicks) return SuppressionReason.AfterPurchase;
        if (state.OffersInSession >= policy.MaxOffersPerSession) return SuppressionReason.SessionCap;
        if (r.MaxPerSession > 0 && gate.SessionCount >= r.MaxPerSession) return SuppressionReason.SessionCap;
        if (r.MaxPerDay > 0 && gate.Day == DayOf(now, input.TimeZone ?? policy.TimeZone) && gate.DayCount >= r.MaxPerDay) return SuppressionReason.DailyCap;
        if (r.MaxPerCampaign > 0 && state.CampaignOffers(r.Campaign) >= r.MaxPerCampaign) return SuppressionReason.CampaignCap;
        if (state.HasOffered && now - state.LastOfferTicks < CooldownTicks(r, state.DismissalStreak)) return SuppressionReason.Cooldown;
        if (r.Debounce > TimeSpan.Zero)
        {
            if (gate.EligibleSinceTicks == 0) gate.EligibleSinceTicks = now;
            if (now - gate.EligibleSinceTicks < r.Debounce.Ticks) return SuppressionReason.Debounce;
        }

        return null;
    }

    private static void Record(Policy policy, PolicyRule r, RuleGate gate, TriggerState state, in TriggerInput input, AttributionLedger? ledger, bool holdout)
    {
        long now = input.EventTicks;
        state.LastOfferTicks = now;
        state.HasOffered = true;
        state.OffersInSession++;
        gate.SessionCount++;
        gate.EligibleSinceTicks = 0;
        if (r.MaxPerDay > 0)
        {
            int day = DayOf(now, input.TimeZone ?? policy.TimeZone);
            if (gate.Day != day)
            {
                gate.Day = day;
                gate.DayCount = 0;
            }

            gate.DayCount++;
        }

        state.CountCampaign(r.Campaign);
        for (int x = 0; x < policy.Experiments.Count; x++)
        {
            var e = policy.Experiments[x];
            if (!e.Governs(r.Name)) continue;
            bool first = state.Expose(e.Name, now);
            if (ledger is null) continue;
            string variant = VariantName(e, input.Tenant, input.UserId);
            if (first) ledger.Count(e.Name, variant, ExperimentMetric.Exposures);
            if (!holdout) ledger.Count(e.Name, variant, ExperimentMetric.Proposals);
        }
    }

    /// <summary>The variant name of a shopper ("holdout" for the holdout).</summary>
    public static string VariantName(PolicyExperiment e, string tenant, string userId)
    {
        int v = ExperimentAssigner.Assign(e, tenant, userId);
        return v == ExperimentAssigner.Holdout ? AttributionLedger.HoldoutName : e.Variants[v].Name;
    }

    private static void Convert(Policy policy, TriggerState state, in TriggerInput input, AttributionLedger? ledger)
    {
        for (int x = 0; x < policy.Experiments.Count; x++)
        {
            var e = policy.Experiments[x];
            var mark = state.Mark(e.Name);
            if (mark is null || mark.Converted || input.EventTicks - mark.ExposedTicks > policy.AttributionWindow.Ticks || input.EventTicks < mark.ExposedTicks) continue;
            mark.Converted = true;
            ledger?.Count(e.Name, VariantName(e, input.Tenant, input.UserId), ExperimentMetric.Conversions);
        }
    }
}
