namespace MicroMoment.Silo.Storage;

/// <summary>One stored grain state row as read: its version, byte format, checksum and bytes.</summary>
internal readonly record struct StoredState(long Version, int Format, long Checksum, byte[] Bytes);
