namespace MicroMoment.Silo.Monitoring;

/// <summary>A silo in this process whose meters a gateway in front of it reports (see <see cref="SiloMeters"/>).</summary>
public interface ISiloMeterScope
{
    /// <summary>The scope of the silo's meters (its <see cref="System.Diagnostics.Metrics.IMeterFactory"/>), or null when they are unscoped.</summary>
    object? MeterScope { get; }
}
