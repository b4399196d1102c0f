namespace MicroMoment.Evaluation;

/// <summary>
/// One point of a ROC curve (X = false-positive rate, Y = true-positive rate) or a precision–recall curve
/// (X = recall, Y = precision), reached by predicting positive every score ≥ <paramref name="Threshold"/>.
/// </summary>
/// <param name="X">Horizontal coordinate (FPR for ROC, recall for PR).</param>
/// <param name="Y">Vertical coordinate (TPR for ROC, precision for PR).</param>
/// <param name="Threshold">The score threshold; +∞ for the starting point where nothing is predicted positive.</param>
public readonly record struct CurvePoint(double X, double Y, float Threshold);
