using System.Diagnostics.Metrics;

namespace MicroMoment.Gateway.Telemetry;

/// <summary>
/// Which meter scopes (<see cref="IMeterFactory"/> instances) this gateway reports: its own container's and that of a
/// silo it fronts in this process. Meters are process-wide by name, so a second gateway or silo in the same process
/// (tests, benchmarks) would otherwise add its measurements to ours; unscoped meters (Orleans') are always reported.
/// </summary>
public sealed class MeterScopes
{
    private readonly Lock _gate = new();
    private object[] _scopes;

    /// <summary>Starts with the gateway's own meter factory.</summary>
    public MeterScopes(IMeterFactory own) => _scopes = [own];

    /// <summary>Also reports meters created by <paramref name="scope"/>.</summary>
    public void Add(object scope)
    {
        lock (_gate)
        {
            if (Array.IndexOf(_scopes, scope) < 0) _scopes = [.. _scopes, scope];
        }
    }

    /// <summary>True when <paramref name="instrument"/>'s meter is unscoped or was created by one of the scopes.</summary>
    public bool Reports(Instrument instrument) => instrument.Meter.Scope is not { } scope || Array.IndexOf(Volatile.Read(ref _scopes), scope) >= 0;
}
