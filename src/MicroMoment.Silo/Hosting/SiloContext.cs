using System.Diagnostics.Metrics;
using MicroMoment.Grains;
using MicroMoment.Scoring;
using MicroMoment.Silo.Execution;
using MicroMoment.Silo.Grains;
using MicroMoment.Silo.Monitoring;
using MicroMoment.Silo.Triggers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MicroMoment.Silo;

/// <summary>
/// What every grain of one silo shares (a DI singleton): the model and its clusters, the running trigger policy, the
/// batched model executor, the silo clock, the counters, the experiment counts waiting to be added to their grain, the
/// registry of live shoppers (for the census) and the bounds from <see cref="SiloOptions"/>.
/// </summary>
public sealed class SiloContext
{
    private Policy _policy;
    private string? _writeFailure;
    private int _writesInFlight;
    private long _writeProgress;

    /// <summary>Builds the context from validated options; loads the policy file when one is set.</summary>
    /// <exception cref="PolicyException">The policy file cannot be used (the message names the file and line).</exception>
    /// <param name="model">The model.</param>
    /// <param name="options">The validated options.</param>
    /// <param name="executor">The batched model executor.</param>
    /// <param name="clock">The silo clock.</param>
    /// <param name="meters">Creates the silo's meters (null: unscoped meters).</param>
    public SiloContext(MicroMomentModel model, SiloOptions options, ModelExecutor executor, TimeProvider clock, IMeterFactory? meters = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(clock);
        options.Validate();
        Model = model;
        Options = options;
        Executor = executor;
        Clock = clock;
        Clusters = ClusterCentroids.Of(model);
        Binding = PolicyBinding.Of(model);
        if (options.PolicyPath is { } path) (_policy, PolicyHash) = PolicyWatcher.Load(path, Binding);
        else _policy = Policy.FromOptions(options.Trigger, Binding);
        IdleTimeout = options.IdleTimeout ?? model.SessionTimeout;
        StateSize = model.Network.StateSize;
        InputDimension = model.Features.InputDimension;
        HiddenSize = model.Network.Shape.HiddenSize;
        Grains = new GrainInstruments(SiloMeters.Create(meters, SiloMeters.Grains), this);
        Storage = new StorageInstruments(SiloMeters.Create(meters, SiloMeters.Storage), this);
    }

    /// <summary>The model.</summary>
    public MicroMomentModel Model { get; }

    /// <summary>The validated options.</summary>
    public SiloOptions Options { get; }

    /// <summary>The silo's model executor.</summary>
    public ModelExecutor Executor { get; }

    /// <summary>The silo clock (offer expiry, session liveness, policy status, alerts); Orleans keeps its own.</summary>
    public TimeProvider Clock { get; }

    /// <summary>The silo clock now, UTC ticks.</summary>
    public long NowTicks => Clock.GetUtcNow().UtcTicks;

    /// <summary>The model's clusters (what <see cref="IClusterCentroidGrain"/> serves).</summary>
    public ClusterCentroids Clusters { get; }

    /// <summary>What policies are compiled against.</summary>
    public PolicyBinding Binding { get; }

    /// <summary>The current trigger policy (a reload swaps it; each decision reads it once).</summary>
    public Policy Policy => Volatile.Read(ref _policy);

    /// <summary>SHA-256 (hex) of the policy file's bytes at start, or null for the built-in policy.</summary>
    public string? PolicyHash { get; }

    /// <summary>The silo's counters.</summary>
    internal SiloCounters Counters { get; } = new();

    /// <summary>Experiment counts not yet added to the experiment counter grain.</summary>
    public AttributionLedger Ledger { get; } = new();

    /// <summary>The user grains active on this silo.</summary>
    internal LiveShoppers Shoppers { get; } = new();

    /// <summary>Event processing latency (submission to answer, microseconds) for the trigger-latency-p99 alert's window; <see cref="AlertMonitor"/> takes its intervals.</summary>
    internal HdrHistogram.Recorder AlertLatency { get; } = AlertMonitor.NewRecorder();

    /// <summary>The user grains' instruments (event and turn durations; counters observed from <see cref="Counters"/>).</summary>
    internal GrainInstruments Grains { get; }

    /// <summary>Grain storage's instruments.</summary>
    internal StorageInstruments Storage { get; }

    /// <summary>Judges the policy's monitoring limits.</summary>
    internal AlertMonitor Alerts { get; } = new();

    /// <summary>How long a user grain may idle before Orleans collects it.</summary>
    public TimeSpan IdleTimeout { get; }

    /// <summary>Floats of network state per shopper.</summary>
    public int StateSize { get; }

    /// <summary>Floats of model input per event.</summary>
    public int InputDimension { get; }

    /// <summary>The network's hidden size (the softmax accumulators sit at 3H and 3H + 1 of the state).</summary>
    public int HiddenSize { get; }

    /// <summary>The address of this silo (the silo tag of its spans); empty outside a silo.</summary>
    public string SiloAddress { get; init; } = "";

    /// <summary>True when grain state goes to storage (a data directory or a cluster store is configured).</summary>
    public bool Persistent { get; init; }

    /// <summary>Why the latest grain state write failed, while no write succeeded after it; null when writes succeed.</summary>
    public string? WriteFailure => Volatile.Read(ref _writeFailure);

    /// <summary>Records a failed state write (readiness goes false until a write succeeds).</summary>
    internal void RecordWriteFailure(Exception error) => Volatile.Write(ref _writeFailure, $"{error.GetType().Name}: {error.Message}");

    /// <summary>
    /// While state writes are pending and none has completed for <see cref="SiloOptions.WriteStallTimeout"/>: how long
    /// (the store does not answer); null otherwise.
    /// </summary>
    public TimeSpan? WriteStall
    {
        get
        {
            if (Volatile.Read(ref _writesInFlight) == 0) return null;
            var since = Clock.GetElapsedTime(Volatile.Read(ref _writeProgress));
            return since >= Options.WriteStallTimeout ? since : null;
        }
    }

    /// <summary>Records that a state write begins (ended by <see cref="RecordWriteEnd"/>, whatever its outcome).</summary>
    internal void RecordWriteStart()
    {
        // Writes pending from now: the stall is measured from the first one (or the latest completion).
        if (Volatile.Read(ref _writesInFlight) == 0) Volatile.Write(ref _writeProgress, Clock.GetTimestamp());
        Interlocked.Increment(ref _writesInFlight);
    }

    /// <summary>Records that a state write completed or failed.</summary>
    internal void RecordWriteEnd()
    {
        Volatile.Write(ref _writeProgress, Clock.GetTimestamp());
        Interlocked.Decrement(ref _writesInFlight);
    }

    /// <summary>Records a successful state write.</summary>
    internal void RecordWriteSuccess()
    {
        if (Volatile.Read(ref _writeFailure) is not null) Volatile.Write(ref _writeFailure, null);
    }

    /// <summary>The log of what the silo's grains report (state writes); a null logger unless the host sets one.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>Replaces the policy (hot reload).</summary>
    public void SwapPolicy(Policy policy) => Volatile.Write(ref _policy, policy ?? throw new ArgumentNullException(nameof(policy)));
}
