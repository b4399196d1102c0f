using Orleans.Placement;

namespace MicroMoment.Silo.Placement;

/// <summary>Places a grain class with <see cref="SiloPinnedPlacement"/>: on the silo its string key names.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloPinnedPlacementAttribute : PlacementAttribute
{
    /// <summary>Marks the class.</summary>
    public SiloPinnedPlacementAttribute()
        : base(SiloPinnedPlacement.Instance)
    {
    }
}
