using System.Globalization;

namespace MicroMoment.Cli.Simulation;

/// <summary>
/// What an offer is worth, stated so the sweep can trade precision for coverage. An offer made to a session before its
/// purchase is credited with the share of that purchase it caused, <c>uplift / (1 + uplift)</c> of the
/// <see cref="Margin"/> (the offer multiplies a shopper's chance to buy by 1 + uplift), and costs
/// <see cref="OfferCost"/> (the discount the buyer redeems); an offer to a session that does not buy costs
/// <see cref="Annoyance"/> (an interrupted shopper). Sessions without an offer are worth zero, so "no offers" is the
/// baseline. The uplift is an assumption the simulation cannot see in a log; the holdout measures the real one live.
/// </summary>
/// <param name="Margin">Profit of one purchase, before the offer's cost.</param>
/// <param name="OfferCost">Cost of an offer a buyer redeems (e.g. the discount).</param>
/// <param name="Uplift">Relative increase in a shown shopper's chance to buy (0.1 = 10% more likely).</param>
/// <param name="Annoyance">Cost of interrupting a shopper who does not buy.</param>
internal sealed record CostModel(double Margin, double OfferCost, double Uplift, double Annoyance)
{
    /// <summary>Illustrative defaults: margin 30, offer cost 1, uplift 10%, annoyance 0.1 (same currency unit).</summary>
    public static CostModel Default { get; } = new(30, 1, 0.10, 0.10);

    /// <summary>Value of an offer made before a purchase: the caused share of the margin less the redeemed offer.</summary>
    public double BuyerValue => (Uplift / (1 + Uplift) * Margin) - OfferCost;

    /// <summary>Value of an offer to a session that does not purchase (negative: the annoyance).</summary>
    public double NonBuyerValue => -Annoyance;

    /// <summary>The value of <paramref name="coveredBuyers"/> offers before a purchase and <paramref name="others"/> offers to sessions that did not buy after them.</summary>
    public double ValueOf(long coveredBuyers, long others) => (coveredBuyers * BuyerValue) + (others * NonBuyerValue);

    /// <summary>Null when every field is usable, else what is wrong and what is expected.</summary>
    public string? Validate()
    {
        if (!double.IsFinite(Margin) || Margin < 0) return $"--margin {Margin.ToString(CultureInfo.InvariantCulture)} is not usable; expected a profit per purchase of 0 or more.";
        if (!double.IsFinite(OfferCost) || OfferCost < 0) return $"--offer-cost {OfferCost.ToString(CultureInfo.InvariantCulture)} is not usable; expected a cost of 0 or more.";
        if (!double.IsFinite(Uplift) || Uplift <= 0 || Uplift > 10) return $"--uplift {Uplift.ToString(CultureInfo.InvariantCulture)} is not usable; expected a relative uplift above 0 and at most 10 (0.1 = 10% more likely to buy).";
        if (!double.IsFinite(Annoyance) || Annoyance < 0) return $"--annoyance {Annoyance.ToString(CultureInfo.InvariantCulture)} is not usable; expected a cost of 0 or more.";
        return null;
    }

    /// <summary>The model in words, for reports.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"margin {Margin:0.##} per purchase, offer cost {OfferCost:0.##} per redeemed offer, uplift {Uplift:P0} (relative), annoyance {Annoyance:0.##} per interrupted non-buyer: an offer before a purchase is worth {BuyerValue:0.###}, an offer to a non-buyer {NonBuyerValue:0.###}; offers pay when precision exceeds {Annoyance / (BuyerValue + Annoyance):P1}.");
}
