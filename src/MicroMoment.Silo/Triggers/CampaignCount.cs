namespace MicroMoment.Silo.Triggers;

/// <summary>Offers one shopper received from one campaign.</summary>
[GenerateSerializer]
[Alias("mm.CampaignCount")]
internal sealed class CampaignCount
{
    /// <summary>Creates the record for <paramref name="campaign"/>.</summary>
    public CampaignCount(string campaign) => Campaign = campaign;

    /// <summary>For the serializer.</summary>
    public CampaignCount()
    {
    }

    /// <summary>The campaign.</summary>
    [Id(0)]
    public string Campaign { get; init; } = "";

    /// <summary>Offers so far.</summary>
    [Id(1)]
    public int Count;
}
