namespace MicroMoment.Evaluation;

/// <summary>ROC AUC computed on the examples of one bucket (e.g. one prefix-length range).</summary>
/// <param name="Key">The bucket key.</param>
/// <param name="Auc">The AUC within the bucket; NaN when the bucket holds only one class.</param>
/// <param name="Count">Number of examples in the bucket.</param>
/// <param name="Positives">Number of positive examples in the bucket.</param>
public readonly record struct BucketAuc(int Key, double Auc, int Count, int Positives);
