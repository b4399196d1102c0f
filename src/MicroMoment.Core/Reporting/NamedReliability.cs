using MicroMoment.Evaluation;

namespace MicroMoment.Reporting;

/// <summary>A reliability diagram with the name of the model (or calibration method) that produced it.</summary>
/// <param name="Name">Legend entry, e.g. "LSTM, isotonic".</param>
/// <param name="Bins">The occupied bins.</param>
public sealed record NamedReliability(string Name, IReadOnlyList<ReliabilityBin> Bins);
