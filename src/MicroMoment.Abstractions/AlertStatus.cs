namespace MicroMoment.Silo;

/// <summary>One monitoring alert judged against the running policy's <c>monitoring:</c> limits over the sliding window.</summary>
/// <param name="Name">offers-per-session, false-alarm-rate or trigger-latency-p99.</param>
/// <param name="Firing">True when the observed value is above the limit (and there was enough data to judge).</param>
/// <param name="Observed">The value over the window (seconds for latency), or null without data.</param>
/// <param name="Limit">The policy's limit (seconds for latency).</param>
/// <param name="Judged">True when the window held enough data to judge (offers ≥ minOffers for the rates, one event for latency).</param>
/// <param name="Basis">What the value was computed from, in words (counts over the window).</param>
[GenerateSerializer]
[Alias("mm.AlertStatus")]
[Immutable]
public sealed record AlertStatus(string Name, bool Firing, double? Observed, double Limit, bool Judged, string Basis);
