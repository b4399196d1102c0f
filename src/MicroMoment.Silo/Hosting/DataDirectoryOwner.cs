namespace MicroMoment.Silo;

/// <summary>The process that holds a data directory, as it recorded itself.</summary>
/// <param name="ProcessId">Its process id.</param>
/// <param name="Host">The machine it runs on.</param>
/// <param name="Since">When it took the directory (UTC), if recorded.</param>
public sealed record DataDirectoryOwner(int ProcessId, string Host, DateTime? Since);
