namespace MicroMoment.Silo;

/// <summary>One rule of the running policy, in a line: what it reacts to and what it offers.</summary>
/// <param name="Name">Rule name.</param>
/// <param name="Intent">buy, research or exit.</param>
/// <param name="Offer">popup, discount, recommendation or assist.</param>
/// <param name="Priority">Higher fires first.</param>
/// <param name="Campaign">The campaign its caps count in.</param>
/// <param name="Consent">The consent category the shopper must have granted, or "none".</param>
[GenerateSerializer]
[Alias("mm.PolicyRuleSummary")]
[Immutable]
public sealed record PolicyRuleSummary(string Name, string Intent, string Offer, int Priority, string Campaign, string Consent = ConsentCategories.Offers);
