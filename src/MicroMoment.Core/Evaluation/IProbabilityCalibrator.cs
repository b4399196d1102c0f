namespace MicroMoment.Evaluation;

/// <summary>Maps a raw model output (a logit or a score) to a calibrated probability. <see cref="Apply"/> allocates nothing.</summary>
public interface IProbabilityCalibrator
{
    /// <summary>Short name of the method, e.g. "platt" or "isotonic", for reports and saved models.</summary>
    string Method { get; }

    /// <summary>The calibrated probability in [0, 1] for one raw output.</summary>
    float Apply(float logitOrScore);
}
