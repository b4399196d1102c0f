using MicroMoment.Silo.Runtime;

namespace MicroMoment.Silo.Storage;

/// <summary>The writes of one partition, fenced by the epoch its owner holds.</summary>
/// <param name="Partition">The partition.</param>
/// <param name="Epoch">The owner's epoch.</param>
/// <param name="Writes">Latest state per grain (null state: delete).</param>
internal sealed record WriteBatch(int Partition, long Epoch, IReadOnlyDictionary<GrainKey, PendingWrite> Writes);
