namespace MicroMoment.Silo.Triggers;

/// <summary>Offers one shopper received from one campaign.</summary>
internal sealed class CampaignCount(string campaign)
{
    /// <summary>The campaign.</summary>
    public string Campaign { get; } = campaign;

    /// <summary>Offers so far.</summary>
    public int Count;
}
