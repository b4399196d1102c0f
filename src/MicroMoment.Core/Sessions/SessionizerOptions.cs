namespace MicroMoment.Sessions;

/// <summary>Settings of the <see cref="Sessionizer"/>.</summary>
public sealed record SessionizerOptions
{
    /// <summary>The largest inactivity timeout accepted.</summary>
    public static readonly TimeSpan MaxInactivityTimeout = TimeSpan.FromDays(7);

    /// <summary>The usual 30-minute inactivity timeout.</summary>
    public static SessionizerOptions Default { get; } = new();

    /// <summary>A gap longer than this between two events of a user ends the session. Default 30 minutes.</summary>
    public TimeSpan InactivityTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a setting is out of range.</summary>
    public void Validate()
    {
        if (InactivityTimeout <= TimeSpan.Zero || InactivityTimeout > MaxInactivityTimeout)
        {
            throw new ArgumentOutOfRangeException(
                nameof(InactivityTimeout), InactivityTimeout,
                $"The inactivity timeout must be more than zero and at most {MaxInactivityTimeout.TotalDays:0} days (usually 30 minutes).");
        }
    }
}
