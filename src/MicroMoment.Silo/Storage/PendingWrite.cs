namespace MicroMoment.Silo.Storage;

/// <summary>A grain state waiting to be written behind: the bytes, or null to delete the row.</summary>
/// <param name="KeyHash">The grain's stable key hash (stored for offer routing).</param>
/// <param name="State">The serialized state, or null for an erase.</param>
internal readonly record struct PendingWrite(ulong KeyHash, byte[]? State);
