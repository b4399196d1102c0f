using Orleans.Runtime;

namespace MicroMoment.Benchmarks;

/// <summary>A silo lifecycle driven by hand, to start and stop a storage provider outside a silo.</summary>
public sealed class ManualSiloLifecycle : ISiloLifecycle
{
    private readonly List<(int Stage, ILifecycleObserver Observer)> _observers = [];

    /// <inheritdoc/>
    public int HighestCompletedStage { get; private set; } = int.MinValue;

    /// <inheritdoc/>
    public int LowestStoppedStage { get; private set; } = int.MaxValue;

    /// <inheritdoc/>
    public IDisposable Subscribe(string observerName, int stage, ILifecycleObserver observer)
    {
        _observers.Add((stage, observer));
        return new Unsubscriber(() => _observers.Remove((stage, observer)));
    }

    /// <summary>Starts every observer in stage order.</summary>
    public async Task StartAsync()
    {
        foreach (var (stage, observer) in _observers.OrderBy(o => o.Stage))
        {
            await observer.OnStart();
            HighestCompletedStage = stage;
        }
    }

    /// <summary>Stops every observer in reverse stage order.</summary>
    public async Task StopAsync()
    {
        foreach (var (stage, observer) in _observers.OrderByDescending(o => o.Stage))
        {
            await observer.OnStop();
            LowestStoppedStage = stage;
        }
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
