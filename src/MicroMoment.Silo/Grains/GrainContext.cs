using MicroMoment.Scoring;
using MicroMoment.Silo.Triggers;

namespace MicroMoment.Silo.Grains;

/// <summary>What every user grain of a silo shares: the model, the trigger policy, the clusters and the bounds.</summary>
internal sealed class GrainContext
{
    private Policy _policy;

    /// <summary>Builds the context from validated options.</summary>
    public GrainContext(MicroMomentModel model, SiloOptions options)
    {
        Model = model;
        Clusters = new ClusterCentroidGrain(model);
        Binding = PolicyBinding.Of(model);
        if (options.PolicyPath is { } path) (_policy, PolicyHash) = PolicyWatcher.Load(path, Binding);
        else _policy = Policy.FromOptions(options.Trigger, Binding);
        TimelineCapacity = options.TimelineCapacity;
        DedupCapacity = options.DedupCapacity;
        StateSize = model.Network.StateSize;
        InputDimension = model.Features.InputDimension;
        HiddenSize = model.Network.Shape.HiddenSize;
    }

    /// <summary>The model.</summary>
    public MicroMomentModel Model { get; }

    /// <summary>The model's clusters.</summary>
    public ClusterCentroidGrain Clusters { get; }

    /// <summary>What policies are compiled against.</summary>
    public PolicyBinding Binding { get; }

    /// <summary>The current trigger policy (a reload swaps it; each event reads it once).</summary>
    public Policy Policy => Volatile.Read(ref _policy);

    /// <summary>SHA-256 (hex) of the policy file's bytes at start, or null for the built-in policy.</summary>
    public string? PolicyHash { get; }

    /// <summary>The silo's counters (session closes are reported there); set once by the runtime.</summary>
    public Runtime.SiloCounters? Counters { get; set; }

    /// <summary>Experiment counters.</summary>
    public AttributionLedger Ledger { get; } = new();

    /// <summary>Replaces the policy (hot reload).</summary>
    public void SwapPolicy(Policy policy) => Volatile.Write(ref _policy, policy ?? throw new ArgumentNullException(nameof(policy)));

    /// <summary>Most timeline events per grain.</summary>
    public int TimelineCapacity { get; }

    /// <summary>Most remembered event ids per grain.</summary>
    public int DedupCapacity { get; }


    /// <summary>Floats of network state per user.</summary>
    public int StateSize { get; }

    /// <summary>Floats of model input per event.</summary>
    public int InputDimension { get; }

    /// <summary>The network's hidden size (the softmax accumulators sit at 3H and 3H + 1 of the state).</summary>
    public int HiddenSize { get; }
}
