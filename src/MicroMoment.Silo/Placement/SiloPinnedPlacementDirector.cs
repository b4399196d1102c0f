using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace MicroMoment.Silo.Placement;

/// <summary>
/// Directs <see cref="SiloPinnedPlacement"/>: the activation goes to the silo whose parsable address is the grain's key,
/// and nowhere else: a key naming a silo that is not an active member fails the call (the caller reports that silo as
/// not answering) instead of running the grain, with another silo's numbers, elsewhere.
/// </summary>
internal sealed class SiloPinnedPlacementDirector : IPlacementDirector
{
    /// <inheritdoc/>
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        string key = target.GrainIdentity.Key.ToString() ?? "";
        SiloAddress wanted;
        try
        {
            wanted = SiloAddress.FromParsableString(key);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or IndexOutOfRangeException)
        {
            throw new ArgumentException($"The grain {target.GrainIdentity} is placed on the silo its key names; '{key}' is not a silo address (host:port@generation).", ex);
        }

        foreach (var silo in context.GetCompatibleSilos(target))
        {
            if (silo.Equals(wanted)) return Task.FromResult(silo);
        }

        throw new SiloUnavailableException($"The silo {key} is not an active member of the cluster; its report grain cannot run there.");
    }
}
