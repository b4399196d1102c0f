namespace MicroMoment.Benchmarks;

/// <summary>An empty grain method: the ceiling the silo probe compares events/s with.</summary>
public interface IProbeGrain : IGrainWithStringKey
{
    /// <summary>Does nothing.</summary>
    Task PingAsync();
}

/// <summary>The grain behind <see cref="IProbeGrain"/>.</summary>
public sealed class ProbeGrain : Grain, IProbeGrain
{
    /// <inheritdoc/>
    public Task PingAsync() => Task.CompletedTask;
}
