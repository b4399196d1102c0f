namespace MicroMoment.Data;

/// <summary>Settings of <see cref="SyntheticTraffic"/>. The same options (seed included) always give the same traffic.</summary>
public sealed record SyntheticTrafficOptions
{
    /// <summary>The seed; the traffic is a pure function of the options.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Number of shoppers.</summary>
    public int Users { get; init; } = 1_000;

    /// <summary>The start of the window in which sessions start (UTC).</summary>
    public DateTime Start { get; init; } = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Length of the window in which sessions start (the last sessions run a little past it).</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Mean number of sessions per shopper (at least one each; later ones may fall outside the window and be dropped).</summary>
    public double MeanSessionsPerUser { get; init; } = 3.0;

    /// <summary>Number of product categories.</summary>
    public int Categories { get; init; } = 24;

    /// <summary>Number of products per category.</summary>
    public int ProductsPerCategory { get; init; } = 40;

    /// <summary>Whether events carry device, platform, referrer and page context.</summary>
    public bool IncludeContext { get; init; } = true;

    /// <summary>Relative share of <see cref="ShopperPersona.PassiveBrowser"/> shoppers.</summary>
    public double PassiveBrowserShare { get; init; } = 0.50;

    /// <summary>Relative share of <see cref="ShopperPersona.ComparisonSeeker"/> shoppers.</summary>
    public double ComparisonSeekerShare { get; init; } = 0.25;

    /// <summary>Relative share of <see cref="ShopperPersona.PurchaseIntent"/> shoppers.</summary>
    public double PurchaseIntentShare { get; init; } = 0.12;

    /// <summary>Relative share of <see cref="ShopperPersona.ImpulsiveBuyer"/> shoppers.</summary>
    public double ImpulsiveBuyerShare { get; init; } = 0.13;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (Users is < 1 or > 10_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(Users), Users, "Users must be between 1 and 10,000,000.");
        }

        if (Start.Kind == DateTimeKind.Local)
        {
            throw new ArgumentOutOfRangeException(nameof(Start), Start, "Start must be a UTC time.");
        }

        if (Duration < TimeSpan.FromHours(1) || Duration > TimeSpan.FromDays(3650))
        {
            throw new ArgumentOutOfRangeException(nameof(Duration), Duration, "Duration must be between 1 hour and 3650 days.");
        }

        if (Start > DateTime.MaxValue - Duration - TimeSpan.FromDays(1))
        {
            throw new ArgumentOutOfRangeException(nameof(Start), Start, "Start plus Duration must stay well within the DateTime range.");
        }

        if (!double.IsFinite(MeanSessionsPerUser) || MeanSessionsPerUser is < 1 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(MeanSessionsPerUser), MeanSessionsPerUser, "MeanSessionsPerUser must be between 1 and 100.");
        }

        if (Categories is < 1 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(Categories), Categories, "Categories must be between 1 and 10,000.");
        }

        if (ProductsPerCategory is < 2 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(ProductsPerCategory), ProductsPerCategory, "ProductsPerCategory must be between 2 and 10,000.");
        }

        double[] shares = [PassiveBrowserShare, ComparisonSeekerShare, PurchaseIntentShare, ImpulsiveBuyerShare];
        if (shares.Any(s => !double.IsFinite(s) || s < 0) || shares.Sum() <= 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(PassiveBrowserShare), string.Join(", ", shares), "Persona shares must be finite, non-negative and not all zero.");
        }
    }
}
