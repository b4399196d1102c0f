namespace MicroMoment.Silo.Execution;

/// <summary>A backend of batch one and its output rows, held by one caller at a time (the per-event peer).</summary>
internal sealed class PerEventLane(IStepBackend backend)
{
    /// <summary>The backend.</summary>
    public IStepBackend Backend { get; } = backend;

    /// <summary>The buy logit of the last step.</summary>
    public float[] Buy { get; } = new float[1];

    /// <summary>The exit logit of the last step.</summary>
    public float[] Exit { get; } = new float[1];

    /// <summary>The attention score of the last step.</summary>
    public float[] Attention { get; } = new float[1];
}
