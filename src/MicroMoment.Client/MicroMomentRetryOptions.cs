namespace MicroMoment.Client;

/// <summary>
/// How <see cref="MicroMomentClient.SendBatchAsync"/> retries events the gateway did not take: a request that failed to
/// connect, lost its connection or timed out, a 502/503/504 answer, and events answered overloaded are resent with the
/// same ids (duplicates are answered duplicate, never applied twice), after an exponential back-off with jitter or the
/// gateway's <c>Retry-After</c>, whichever is longer. Rejected events, 4xx answers (429 included) and a cancelled token
/// are never retried. The defaults ride out a gateway restart of about 20 s.
/// </summary>
public sealed record MicroMomentRetryOptions
{
    /// <summary>No retries: every failure reaches the caller at once.</summary>
    public static MicroMomentRetryOptions None { get; } = new() { MaxRetryAttempts = 0 };

    /// <summary>Retries after the first attempt (0 turns retrying off; at most 100). Default 6.</summary>
    public int MaxRetryAttempts { get; init; } = 6;

    /// <summary>The first back-off; each retry doubles it (with jitter) up to <see cref="MaxDelay"/>. Default 500 ms.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between two attempts (a longer <c>Retry-After</c> is capped here). Default 10 s.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The clock the back-off waits on (the system clock when null); tests inject a fake one.</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>Throws naming the setting that is out of range.</summary>
    internal void Validate()
    {
        if (MaxRetryAttempts is < 0 or > 100)
            throw new ArgumentOutOfRangeException(nameof(MaxRetryAttempts), MaxRetryAttempts, "MaxRetryAttempts must be between 0 (no retries) and 100.");
        if (BaseDelay <= TimeSpan.Zero || BaseDelay > TimeSpan.FromMinutes(1))
            throw new ArgumentOutOfRangeException(nameof(BaseDelay), BaseDelay, "BaseDelay must be positive and at most 1 minute.");
        if (MaxDelay < BaseDelay || MaxDelay > TimeSpan.FromMinutes(10))
            throw new ArgumentOutOfRangeException(nameof(MaxDelay), MaxDelay, "MaxDelay must be at least BaseDelay and at most 10 minutes.");
    }
}
