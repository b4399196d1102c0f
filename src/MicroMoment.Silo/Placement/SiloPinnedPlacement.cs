using Orleans.Runtime;

namespace MicroMoment.Silo.Placement;

/// <summary>Placement on the silo the grain's string key names (its parsable address): one activation per silo, for per-silo reports.</summary>
[Serializable]
[GenerateSerializer]
[Alias("mm.SiloPinnedPlacement")]
public sealed class SiloPinnedPlacement : PlacementStrategy
{
    /// <summary>The one instance.</summary>
    public static readonly SiloPinnedPlacement Instance = new();
}
