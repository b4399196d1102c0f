namespace MicroMoment.Data;

/// <summary>What the log readers keep of each row beyond what sessionizing, features and training need.</summary>
public sealed record EventReadOptions
{
    /// <summary>Keep everything (the default).</summary>
    public static EventReadOptions Default { get; } = new();

    /// <summary>Only what training and scoring use: drops <see cref="Events.ClickEvent.SourceSession"/>.</summary>
    public static EventReadOptions Lean { get; } = new() { KeepSourceSession = false };

    /// <summary>
    /// Whether to keep the source's own session id (REES46 <c>user_session</c>) in <see cref="Events.ClickEvent.SourceSession"/>.
    /// Nothing downstream reads it (sessions come from the inactivity rule); for a month of REES46 data the distinct
    /// 36-character ids cost about 100 bytes each, roughly 0.9 GB for 9 million sessions. Default true.
    /// </summary>
    public bool KeepSourceSession { get; init; } = true;
}
