using System.Globalization;
using MicroMoment.Evaluation;

namespace MicroMoment.Training;

/// <summary>The logistic-regression peer: L2-regularised, class-balanced, fitted by Newton's method to convergence
/// (no early stopping, so the validation rows are not used).</summary>
public sealed class LogisticRegressionPeer : IPrefixClassifierTrainer
{
    /// <inheritdoc/>
    public string Name => ExperimentRunner.Logistic;

    /// <inheritdoc/>
    public IPrefixClassifier Fit(PrefixRows train, PrefixRows? validation, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(train);
        var model = LogisticRegression.Fit(train.ToMatrix(), train.Dimension, train.Labels(), new LogisticRegressionOptions { BalanceClasses = true });
        return new Fitted(model);
    }

    private sealed class Fitted(LogisticRegression model) : IPrefixClassifier
    {
        public string Description => string.Create(CultureInfo.InvariantCulture,
            $"{model.FeatureCount} weights, {model.Iterations} Newton iterations{(model.Converged ? string.Empty : " (not converged)")}");

        public void Score(PrefixRows rows, Span<float> scores)
        {
            for (var i = 0; i < rows.Count; i++) scores[i] = model.PredictLogit(rows.Features(i));
        }
    }
}
