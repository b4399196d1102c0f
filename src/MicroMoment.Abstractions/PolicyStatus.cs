namespace MicroMoment.Silo;

/// <summary>The trigger policy the silo runs now and how its reloads went (statistics, /metrics, GET /v1/policy).</summary>
/// <param name="Version">The running policy's version label (recorded on every offer it fires).</param>
/// <param name="Source">Where it came from: the policy file's path, or "built-in".</param>
/// <param name="LoadedAt">When the running policy was loaded (silo clock).</param>
/// <param name="ContentHash">SHA-256 (hex) of the file's bytes the running policy was compiled from; null for the built-in policy.</param>
/// <param name="Rules">The running policy's rules, highest priority first.</param>
/// <param name="Experiments">The running policy's experiment names.</param>
/// <param name="Reloads">Successful reloads since start (the initial load not counted).</param>
/// <param name="ReloadFailures">Changed file contents that could not be used (the old policy kept running).</param>
/// <param name="LastError">The latest reload error with the path-named message, or null when the file on disk is the running policy.</param>
/// <param name="LastErrorAt">When <paramref name="LastError"/> was recorded (silo clock), or null.</param>
/// <param name="Watching">True when the silo watches a policy file for changes.</param>
[GenerateSerializer]
[Alias("mm.PolicyStatus")]
[Immutable]
public sealed record PolicyStatus(
    string Version,
    string Source,
    DateTimeOffset LoadedAt,
    string? ContentHash,
    IReadOnlyList<PolicyRuleSummary> Rules,
    IReadOnlyList<string> Experiments,
    long Reloads,
    long ReloadFailures,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    bool Watching);
