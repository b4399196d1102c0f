using MicroMoment.Evaluation;

namespace MicroMoment.Training;

/// <summary>One model's results on one split's test prefixes (scores calibrated on validation data): every buy-head
/// metric, and the exit head's ranking metrics. A head the split could not train reads NaN.</summary>
public sealed record ModelEvaluation
{
    /// <summary>Model name, e.g. "attention-lstm".</summary>
    public required string Model { get; init; }

    /// <summary>ROC-AUC on all test buy prefixes.</summary>
    public required double RocAuc { get; init; }

    /// <summary>PR-AUC (average precision) on all test buy prefixes.</summary>
    public required double PrAuc { get; init; }

    /// <summary>Log loss of the calibrated probabilities.</summary>
    public required double LogLoss { get; init; }

    /// <summary>Expected calibration error (10 bins).</summary>
    public required double CalibrationError { get; init; }

    /// <summary>Decision threshold chosen on validation data (maximum F1).</summary>
    public required float Threshold { get; init; }

    /// <summary>Confusion counts at the threshold.</summary>
    public required Confusion Confusion { get; init; }

    /// <summary>ROC-AUC on prefixes with no add-to-cart yet: the honest early number.</summary>
    public required double RocAucNoCart { get; init; }

    /// <summary>ROC-AUC per prefix-length bucket.</summary>
    public required IReadOnlyDictionary<string, double> RocAucByPrefixLength { get; init; }

    /// <summary>Early detection at the threshold.</summary>
    public required EarlyDetectionResult EarlyDetection { get; init; }

    /// <summary>ROC curve points (FPR, TPR).</summary>
    public required IReadOnlyList<CurvePoint> RocCurve { get; init; }

    /// <summary>Precision-recall curve points (recall, precision).</summary>
    public required IReadOnlyList<CurvePoint> PrCurve { get; init; }

    /// <summary>Reliability diagram bins of the calibrated probabilities.</summary>
    public required IReadOnlyList<ReliabilityBin> Reliability { get; init; }

    /// <summary>Exit head ROC-AUC on test prefixes whose next step is known; NaN when undefined or not trained.</summary>
    public double ExitRocAuc { get; init; } = double.NaN;

    /// <summary>Exit head PR-AUC (average precision); NaN when undefined or not trained.</summary>
    public double ExitPrAuc { get; init; } = double.NaN;

    /// <summary>Exit head ROC curve points (FPR, TPR); empty when undefined or not trained.</summary>
    public IReadOnlyList<CurvePoint> ExitRocCurve { get; init; } = [];

    /// <summary>Exit head precision-recall curve points (recall, precision); empty when undefined or not trained.</summary>
    public IReadOnlyList<CurvePoint> ExitPrCurve { get; init; } = [];

    /// <summary>The results of a model whose buy head was not trained (every buy metric NaN, no curves).</summary>
    public static ModelEvaluation WithoutBuyHead(string model) => new()
    {
        Model = model,
        RocAuc = double.NaN,
        PrAuc = double.NaN,
        LogLoss = double.NaN,
        CalibrationError = double.NaN,
        Threshold = float.NaN,
        Confusion = default,
        RocAucNoCart = double.NaN,
        RocAucByPrefixLength = PrefixMetrics.BucketNames.ToDictionary(b => b, _ => double.NaN, StringComparer.Ordinal),
        EarlyDetection = new EarlyDetectionResult(float.NaN, 0, 0, 0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, 0, double.NaN),
        RocCurve = [],
        PrCurve = [],
        Reliability = [],
    };
}
