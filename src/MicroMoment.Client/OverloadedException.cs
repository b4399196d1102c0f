namespace MicroMoment.Client;

/// <summary>The silo was full and applied none of the events (503); retry them (same ids) after <see cref="MicroMomentApiException.RetryAfter"/>.</summary>
public sealed class OverloadedException(string? title, string? detail, TimeSpan retryAfter, IReadOnlyList<EventResult> results)
    : MicroMomentApiException(503, title, detail, retryAfter)
{
    /// <summary>Per-event results (all overloaded or rejected).</summary>
    public IReadOnlyList<EventResult> Results { get; } = results;
}
