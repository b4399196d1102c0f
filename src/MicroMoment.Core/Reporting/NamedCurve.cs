using MicroMoment.Evaluation;

namespace MicroMoment.Reporting;

/// <summary>A ROC or precision–recall curve with the name of the model that produced it.</summary>
/// <param name="Name">Legend entry, e.g. "LSTM + attention (AUC 0.91)".</param>
/// <param name="Points">The curve's points.</param>
public sealed record NamedCurve(string Name, IReadOnlyList<CurvePoint> Points);
