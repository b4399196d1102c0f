namespace MicroMoment.Scoring;

/// <summary>Provenance and headline numbers stored with a model.</summary>
/// <param name="Version">Model version label, e.g. "rees46-head-h64-s1".</param>
/// <param name="TrainedOn">What data trained it (files, rows, sessions, time range).</param>
/// <param name="Command">The exact command line that reproduces the model.</param>
/// <param name="HeadlineMetrics">Time-split test metrics recorded at training time (name → value).</param>
public sealed record ModelInfo(string Version, string TrainedOn, string Command, IReadOnlyDictionary<string, double> HeadlineMetrics);
