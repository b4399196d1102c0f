namespace MicroMoment.Gateway.Dashboard;

/// <summary>
/// What the dashboard's experiments panel reads when the trigger engine registers one in the gateway's services; without
/// one, the panel says no experiments are configured.
/// </summary>
public interface IDashboardExperiments
{
    /// <summary>The experiments as UTF-8 JSON: {"configured": true, "experiments": [{"name": ..., "arms": [...]}, ...]}.</summary>
    byte[] ToJson();
}
