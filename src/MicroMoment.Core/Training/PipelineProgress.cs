namespace MicroMoment.Training;

/// <summary>Progress of long work, for progress bars.</summary>
/// <param name="Task">Which unit of work (e.g. "time split, seed 1 (1/10)").</param>
/// <param name="Stage">What it is doing now.</param>
/// <param name="Fraction">Completed share of the unit, 0 to 1.</param>
public readonly record struct PipelineProgress(string Task, string Stage, double Fraction);
