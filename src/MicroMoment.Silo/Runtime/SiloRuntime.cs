using MicroMoment.Silo.Grains;
using MicroMoment.Silo.Storage;

namespace MicroMoment.Silo.Runtime;

/// <summary>What the workers and the writer of one silo share: settings, clock, counters, storage and sinks.</summary>
internal sealed class SiloRuntime(SiloOptions options, GrainContext context, TimeProvider time, SqliteGrainStore? store)
{
    private IOfferSink[] _sinks = [];

    /// <summary>The validated options.</summary>
    public SiloOptions Options { get; } = options;

    /// <summary>The grains' shared context.</summary>
    public GrainContext Context { get; } = context;

    /// <summary>The silo clock.</summary>
    public TimeProvider Time { get; } = time;

    /// <summary>The state file, or null without persistence.</summary>
    public SqliteGrainStore? Store { get; } = store;

    /// <summary>The counters (also handed to the grains' context for session closes).</summary>
    public SiloCounters Counters { get; } = context.Counters = new();

    /// <summary>Judges the policy's monitoring limits.</summary>
    public AlertMonitor Alerts { get; } = new();

    /// <summary>The write-behind writer, or null without persistence.</summary>
    public WriteBehind? WriteBehind { get; set; }

    /// <summary>How long a grain may idle before it is deactivated.</summary>
    public TimeSpan IdleTimeout { get; } = options.IdleTimeout ?? context.Model.SessionTimeout;

    /// <summary>Operational log, or null.</summary>
    public Action<string>? Log => Options.Log;

    /// <summary>The silo clock now, UTC ticks.</summary>
    public long NowTicks => Time.GetUtcNow().UtcTicks;

    /// <summary>Adds an offer sink.</summary>
    public void Subscribe(IOfferSink sink)
    {
        lock (this) _sinks = [.. _sinks, sink];
    }

    /// <summary>Hands a fired offer to every sink; a sink that throws is counted and logged, never fatal.</summary>
    public void Deliver(Offer offer)
    {
        foreach (var sink in Volatile.Read(ref _sinks))
        {
            try
            {
                sink.Deliver(offer);
            }
            catch (Exception ex)
            {
                Interlocked.Increment(ref Counters.SinkFailures);
                Log?.Invoke($"Offer sink {sink.GetType().Name} threw on offer {offer.Id}: {ex.Message}");
            }
        }
    }
}
