namespace MicroMoment.Data;

/// <summary>The behaviour types of synthetic shoppers (see <see cref="SyntheticTraffic"/>).</summary>
public enum ShopperPersona
{
    /// <summary>Browses widely and briefly; almost never buys.</summary>
    PassiveBrowser,

    /// <summary>Long sessions revisiting a few products of one category, comparing; buys sometimes, after carting and coming back.</summary>
    ComparisonSeeker,

    /// <summary>Arrives with a need: focused category, carts, returns to the carted product and often buys.</summary>
    PurchaseIntent,

    /// <summary>Short, fast sessions; carts cheap items quickly and buys on impulse.</summary>
    ImpulsiveBuyer,
}
