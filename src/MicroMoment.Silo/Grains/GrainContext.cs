using MicroMoment.Scoring;

namespace MicroMoment.Silo.Grains;

/// <summary>What every user grain of a silo shares: the model, the trigger policy, the clusters and the bounds.</summary>
internal sealed class GrainContext
{
    /// <summary>Builds the context from validated options.</summary>
    public GrainContext(MicroMomentModel model, SiloOptions options)
    {
        Model = model;
        Clusters = new ClusterCentroidGrain(model);
        Policy = new TriggerPolicy(model, options.Trigger, Clusters);
        TimelineCapacity = options.TimelineCapacity;
        DedupCapacity = options.DedupCapacity;
        OfferMemory = options.Trigger.OfferMemory;
        StateSize = model.Network.StateSize;
        InputDimension = model.Features.InputDimension;
        HiddenSize = model.Network.Shape.HiddenSize;
    }

    /// <summary>The model.</summary>
    public MicroMomentModel Model { get; }

    /// <summary>The model's clusters.</summary>
    public ClusterCentroidGrain Clusters { get; }

    /// <summary>The trigger policy.</summary>
    public TriggerPolicy Policy { get; }

    /// <summary>Most timeline events per grain.</summary>
    public int TimelineCapacity { get; }

    /// <summary>Most remembered event ids per grain.</summary>
    public int DedupCapacity { get; }

    /// <summary>Most remembered offers per grain.</summary>
    public int OfferMemory { get; }

    /// <summary>Floats of network state per user.</summary>
    public int StateSize { get; }

    /// <summary>Floats of model input per event.</summary>
    public int InputDimension { get; }

    /// <summary>The network's hidden size (the softmax accumulators sit at 3H and 3H + 1 of the state).</summary>
    public int HiddenSize { get; }
}
