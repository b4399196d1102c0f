using System.Collections.Concurrent;

namespace MicroMoment.Silo.Grains;

/// <summary>
/// The user grains active on this silo, for the operators' census (counting live sessions by cluster and intent, the
/// busiest shoppers). Grains add themselves on activation and leave on deactivation; the census reads their summaries
/// from outside their turns, so its counts are a snapshot taken while grains keep changing, never a per-event cost.
/// </summary>
internal sealed class LiveShoppers
{
    private readonly ConcurrentDictionary<UserGrain, byte> _grains = new(ReferenceEqualityComparer.Instance);

    /// <summary>Grains active now.</summary>
    public int Count => _grains.Count;

    /// <summary>Registers an activation.</summary>
    public void Add(UserGrain grain) => _grains.TryAdd(grain, 0);

    /// <summary>Removes a deactivated grain.</summary>
    public void Remove(UserGrain grain) => _grains.TryRemove(grain, out _);

    /// <summary>The active grains (a moving snapshot).</summary>
    public IEnumerable<UserGrain> Grains => _grains.Keys;
}
