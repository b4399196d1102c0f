namespace MicroMoment.Model;

/// <summary>Progress after one minibatch.</summary>
/// <param name="Epoch">Current epoch (1-based).</param>
/// <param name="Batch">Minibatches finished in this epoch (1-based).</param>
/// <param name="BatchesPerEpoch">Minibatches per epoch.</param>
/// <param name="TrainLoss">Training loss of this epoch so far (same definition as <see cref="EpochRecord.TrainLoss"/>).</param>
public readonly record struct TrainingProgress(int Epoch, int Batch, int BatchesPerEpoch, double TrainLoss);
