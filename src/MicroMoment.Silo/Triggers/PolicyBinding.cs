namespace MicroMoment.Silo.Triggers;

/// <summary>What a policy is compiled against: the model's cluster names and its default thresholds.</summary>
/// <param name="ClusterNames">Cluster names by index.</param>
/// <param name="BuyThreshold">The model's buy threshold (for <c>default: model</c>).</param>
/// <param name="ExitThreshold">The model's exit threshold (for <c>default: model</c>).</param>
public sealed record PolicyBinding(IReadOnlyList<string> ClusterNames, float BuyThreshold, float ExitThreshold)
{
    /// <summary>The binding of <paramref name="model"/>: its cluster names and thresholds.</summary>
    public static PolicyBinding Of(Scoring.MicroMomentModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new PolicyBinding([.. model.Features.ClusterNames], model.BuyThreshold, model.ExitThreshold);
    }
}
