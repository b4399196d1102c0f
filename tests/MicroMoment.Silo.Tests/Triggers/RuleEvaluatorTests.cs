using MicroMoment.Scoring;
using MicroMoment.Silo.Grains;
using MicroMoment.Silo.Triggers;

namespace MicroMoment.Silo.Tests.Triggers;

public class RuleEvaluatorTests
{
    internal static readonly PolicyBinding Binding = new(["bargain", "browser"], 0.5f, 0.5f);
    private static readonly long T0 = new DateTime(2019, 10, 1, 12, 0, 0, DateTimeKind.Utc).Ticks;

    internal static Policy Yaml(string rules, string extra = "") => PolicyLoader.Parse($"version: v1\nmaxOffersPerSession: 100\n{extra}rules:\n{rules}", "test.yaml", Binding);

    private static readonly Consent NoOffers = new(true, false);

    private static SuppressionReason? Step(Policy p, TriggerState s, float buy, double seconds, string? page = null, Consent? consent = null, string user = "u1", bool purchase = false, int cluster = 0, bool cart = false,
        TimeZoneInfo? zone = null) =>
        RuleEvaluator.Evaluate(p, s, new TriggerInput(new EventScore(buy, 0f, cluster, 0f, Intent.Buy, 0, false), cart, T0 + TimeSpan.FromSeconds(seconds).Ticks, T0, page, consent ?? Consent.Default, purchase, "t", user, zone), null, out _);

    private const string Buy = "  - { name: b, intent: buy, offer: discount, thresholds: { default: 0.5 }";

    [Fact]
    public void KOfNConfirmationFiresOnlyOnceTwoOfTheLastThreeEventsAreAbove()
    {
        var p = Yaml(Buy + ", confirmation: { k: 2, n: 3 } }");
        var s = new TriggerState();
        Assert.Equal(SuppressionReason.Unconfirmed, Step(p, s, 0.9f, 0));
        Assert.Equal(SuppressionReason.BelowThreshold, Step(p, s, 0.1f, 1));
        Assert.Null(Step(p, s, 0.9f, 2));
    }

    [Fact]
    public void SustainedConfirmationNeedsTheSignalAboveForTheWholeWindow()
    {
        var p = Yaml(Buy + ", confirmation: { sustained: 10s } }");
        var s = new TriggerState();
        Assert.Equal(SuppressionReason.Unconfirmed, Step(p, s, 0.9f, 0));
        Assert.Equal(SuppressionReason.Unconfirmed, Step(p, s, 0.9f, 9));
        Assert.Null(Step(p, s, 0.9f, 10));
        var broken = new TriggerState();
        Step(p, broken, 0.9f, 0);
        Step(p, broken, 0.1f, 5);
        Assert.Equal(SuppressionReason.Unconfirmed, Step(p, broken, 0.9f, 11));
    }

    [Fact]
    public void DebounceFiresOnlyAfterTheRuleStayedEligibleForTheDelay()
    {
        var p = Yaml(Buy + ", debounce: 2s }");
        var s = new TriggerState();
        Assert.Equal(SuppressionReason.Debounce, Step(p, s, 0.9f, 0));
        Assert.Equal(SuppressionReason.Debounce, Step(p, s, 0.9f, 1.5));
        Assert.Null(Step(p, s, 0.9f, 2));
    }

    [Fact]
    public void CooldownDoublesAfterEachDismissalUpToItsMaximum()
    {
        var p = Yaml(Buy + ", cooldown: { base: 60s, backoff: 2, max: 180s } }");
        var rule = p.Rules[0];
        Assert.Equal(TimeSpan.FromSeconds(60).Ticks, RuleEvaluator.CooldownTicks(rule, 0));
        Assert.Equal(TimeSpan.FromSeconds(120).Ticks, RuleEvaluator.CooldownTicks(rule, 1));
        Assert.Equal(TimeSpan.FromSeconds(180).Ticks, RuleEvaluator.CooldownTicks(rule, 5));
        var s = new TriggerState();
        Assert.Null(Step(p, s, 0.9f, 0));
        s.DismissalStreak = 1;
        Assert.Equal(SuppressionReason.Cooldown, Step(p, s, 0.9f, 90));
        Assert.Null(Step(p, s, 0.9f, 120));
    }

    [Fact]
    public void SessionDailyAndCampaignCapsEachStopTheRule()
    {
        var session = Yaml(Buy + ", caps: { perSession: 1 } }");
        var s = new TriggerState();
        Assert.Null(Step(session, s, 0.9f, 0));
        Assert.Equal(SuppressionReason.SessionCap, Step(session, s, 0.9f, 1));

        var daily = Yaml(Buy + ", caps: { perDay: 2 } }");
        var d = new TriggerState();
        Assert.Null(Step(daily, d, 0.9f, 0));
        Assert.Null(Step(daily, d, 0.9f, 1));
        Assert.Equal(SuppressionReason.DailyCap, Step(daily, d, 0.9f, 2));
        Assert.Null(Step(daily, d, 0.9f, TimeSpan.FromHours(12).TotalSeconds)); // next UTC day (started 12:00)

        var campaign = Yaml(Buy + ", campaign: spring, caps: { perCampaign: 1 } }\n  - { name: c, intent: buy, offer: popup, campaign: spring, thresholds: { default: 0.5 }, caps: { perCampaign: 1 } }");
        var c = new TriggerState();
        Assert.Null(Step(campaign, c, 0.9f, 0));
        Assert.Equal(SuppressionReason.CampaignCap, Step(campaign, c, 0.9f, 1));
    }

    [Fact]
    public void DailyCapCountsCalendarDaysOfThePolicyTimeZone()
    {
        var p = Yaml(Buy + ", caps: { perDay: 1 } }", "timeZone: Asia/Tokyo\n");
        var s = new TriggerState();
        Assert.Null(Step(p, s, 0.9f, 0)); // 21:00 in Tokyo
        Assert.Equal(SuppressionReason.DailyCap, Step(p, s, 0.9f, TimeSpan.FromHours(2.9).TotalSeconds)); // 23:54
        Assert.Null(Step(p, s, 0.9f, TimeSpan.FromHours(3.1).TotalSeconds)); // 00:06 next day
    }

    [Fact]
    public void ReportedContextAndAPurchaseInTheSessionSuppress()
    {
        var p = Yaml(Buy + ", suppress: { contexts: [checkout, form], afterPurchase: true } }");
        Assert.Equal(SuppressionReason.Context, Step(p, new TriggerState(), 0.9f, 0, page: "Checkout"));
        Assert.Null(Step(p, new TriggerState(), 0.9f, 0, page: "product"));
        Assert.Equal(SuppressionReason.AfterPurchase, Step(p, new TriggerState(), 0.9f, 0, purchase: true));
    }

    [Fact]
    public void MissingConsentSuppressesOfferRulesButNotPureAssistance()
    {
        var p = Yaml(Buy + " }");
        Assert.Equal(SuppressionReason.NoConsent, Step(p, new TriggerState(), 0.9f, 0, consent: NoOffers));
        var assist = Yaml("  - { name: a, intent: buy, offer: assist, consent: none, thresholds: { default: 0.5 } }");
        Assert.Null(Step(assist, new TriggerState(), 0.9f, 0, consent: NoOffers));
    }

    [Fact]
    public void ARuleNeedsItsOwnConsentCategoryGrantedAndOffersAloneIsNotEnough()
    {
        var p = Yaml("  - { name: m, intent: buy, offer: discount, consent: marketing, thresholds: { default: 0.5 } }");
        Assert.Equal(SuppressionReason.NoConsent, Step(p, new TriggerState(), 0.9f, 0, consent: Consent.Default));
        Assert.Equal(SuppressionReason.NoConsent, RuleEvaluator.Quiet(p, Consent.Default));
        Assert.Null(Step(p, new TriggerState(), 0.9f, 0, consent: new Consent(true, ["offers", "marketing"])));
        Assert.Null(Step(p, new TriggerState(), 0.9f, 0, consent: new Consent(true, ["marketing"])));
    }

    [Fact]
    public void DailyCapCountsDaysInTheShoppersTimeZoneWhenItIsKnown()
    {
        // T0 is 12:00 UTC, 21:00 in Tokyo: Tokyo's next day starts 3 hours later, UTC's 12 hours later.
        var p = Yaml(Buy + ", caps: { perDay: 1 } }");
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        var shopper = new TriggerState();
        Assert.Null(Step(p, shopper, 0.9f, 0, zone: tokyo));
        Assert.Equal(SuppressionReason.DailyCap, Step(p, shopper, 0.9f, 3 * 3600 - 1, zone: tokyo));
        Assert.Null(Step(p, shopper, 0.9f, 3 * 3600, zone: tokyo));

        var policyZone = new TriggerState();
        Assert.Null(Step(p, policyZone, 0.9f, 0));
        Assert.Equal(SuppressionReason.DailyCap, Step(p, policyZone, 0.9f, 3 * 3600));
        Assert.Equal(SuppressionReason.DailyCap, Step(p, policyZone, 0.9f, 12 * 3600 - 1));
        Assert.Null(Step(p, policyZone, 0.9f, 12 * 3600));
    }

    [Fact]
    public void EvaluatingWithANamedCategoryAndAShopperTimeZoneAllocatesNothing()
    {
        var p = Yaml("  - { name: m, intent: buy, offer: discount, consent: marketing, thresholds: { default: 0.5 }, caps: { perDay: 1000 } }");
        var s = new TriggerState();
        var consent = new Consent(true, ["analytics", "marketing", "offers", "personalization"]);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var input = new TriggerInput(new EventScore(0.9f, 0f, 0, 0f, Intent.Buy, 0, false), false, T0, T0, null, consent, false, "t", "u", zone);
        for (int i = 0; i < 200; i++) RuleEvaluator.Evaluate(p, s, input, null, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) RuleEvaluator.Evaluate(p, s, input, null, out _);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void HigherPriorityRuleWinsAndPerClusterThresholdsApply()
    {
        var p = Yaml("  - { name: low, intent: buy, offer: popup, priority: 1, thresholds: { default: 0.5 } }\n  - { name: high, intent: buy, offer: discount, priority: 9, thresholds: { default: 0.5, clusters: { browser: 0.95 } } }");
        var s = new TriggerState();
        RuleEvaluator.Evaluate(p, s, new TriggerInput(new EventScore(0.9f, 0f, 0, 0f, Intent.Buy, 0, false), false, T0, T0, null, Consent.Default, false, "t", "u"), null, out int rule);
        Assert.Equal("high", p.Rules[rule].Name);
        RuleEvaluator.Evaluate(p, new TriggerState(), new TriggerInput(new EventScore(0.9f, 0f, 1, 0f, Intent.Buy, 0, false), false, T0, T0, null, Consent.Default, false, "t", "u"), null, out rule);
        Assert.Equal("low", p.Rules[rule].Name);
    }

    [Fact]
    public void HoldoutShoppersAreScoredButNeverOfferedAndCountAsExposed()
    {
        var p = Yaml(Buy + " }", "experiments:\n  - { name: e1, holdout: 0.5, variants: [ { name: on } ] }\n");
        var ledger = new AttributionLedger();
        int holdouts = 0;
        for (int u = 0; u < 200; u++)
        {
            string user = "user" + u;
            var reason = RuleEvaluator.Evaluate(p, new TriggerState(), new TriggerInput(new EventScore(0.9f, 0f, 0, 0f, Intent.Buy, 0, false), false, T0, T0, null, Consent.Default, false, "t", user), ledger, out _);
            bool inHoldout = ExperimentAssigner.Assign(p.Experiments[0], "t", user) == ExperimentAssigner.Holdout;
            Assert.Equal(inHoldout ? SuppressionReason.Holdout : null, reason);
            if (inHoldout) holdouts++;
        }

        Assert.Equal(holdouts, ledger.Get("e1", "holdout", ExperimentMetric.Exposures));
        Assert.Equal(200 - holdouts, ledger.Get("e1", "on", ExperimentMetric.Proposals));
        Assert.Equal(0, ledger.Get("e1", "holdout", ExperimentMetric.Proposals));
    }

    [Fact]
    public void PurchaseWithinTheAttributionWindowConvertsOnceAndLaterOnesDoNot()
    {
        var p = Yaml(Buy + " }", "attributionWindow: 10m\nexperiments:\n  - { name: e1, holdout: 0, variants: [ { name: on } ] }\n");
        var ledger = new AttributionLedger();
        var s = new TriggerState();
        TriggerInput At(double minutes, bool purchase, float buy = 0.9f) => new(new EventScore(buy, 0f, 0, 0f, Intent.Buy, 0, false), false, T0 + TimeSpan.FromMinutes(minutes).Ticks, T0, null, Consent.Default, purchase, "t", "u");
        Assert.Null(RuleEvaluator.Evaluate(p, s, At(0, false), ledger, out _));
        RuleEvaluator.Evaluate(p, s, At(10, true, 0.1f), ledger, out _);
        RuleEvaluator.Evaluate(p, s, At(11, true, 0.1f), ledger, out _);
        Assert.Equal(1, ledger.Get("e1", "on", ExperimentMetric.Conversions));

        var late = new TriggerState();
        var ledger2 = new AttributionLedger();
        RuleEvaluator.Evaluate(p, late, At(0, false), ledger2, out _);
        RuleEvaluator.Evaluate(p, late, At(10.5, true, 0.1f), ledger2, out _);
        Assert.Equal(0, ledger2.Get("e1", "on", ExperimentMetric.Conversions));
    }

    [Fact]
    public void EvaluatingAnEstablishedShopperAllocatesNothing()
    {
        var p = Yaml(Buy + ", confirmation: { k: 2, n: 3 }, caps: { perDay: 1000 }, suppress: { contexts: [checkout] } }", "experiments:\n  - { name: e1, holdout: 0.05, variants: [ { name: on } ] }\n");
        var s = new TriggerState();
        var input = new TriggerInput(new EventScore(0.9f, 0f, 0, 0f, Intent.Buy, 0, false), false, T0, T0, "product", Consent.Default, false, "t", "u");
        for (int i = 0; i < 200; i++) RuleEvaluator.Evaluate(p, s, input, null, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) RuleEvaluator.Evaluate(p, s, input, null, out _);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
