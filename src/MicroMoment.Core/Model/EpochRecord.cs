namespace MicroMoment.Model;

/// <summary>Statistics of one training epoch.</summary>
/// <param name="Epoch">Epoch number (1-based).</param>
/// <param name="TrainLoss">Loss over the epoch's training targets, accumulated while the weights were updated.</param>
/// <param name="ValidationLoss">Loss on the validation set after the epoch (NaN when there is no validation set).</param>
/// <param name="EventsPerSecond">Training events (after truncation) processed per second of the epoch's training phase.</param>
/// <param name="Elapsed">Wall time of the epoch including validation.</param>
public sealed record EpochRecord(int Epoch, double TrainLoss, double ValidationLoss, double EventsPerSecond, TimeSpan Elapsed);
