using MicroMoment.Events;

namespace MicroMoment.Reporting;

/// <summary>One session's attention weights over its events, for the attention heatmap.</summary>
/// <param name="Label">Row label, e.g. "session 4711 (bought)".</param>
/// <param name="Types">The type of each event, shown as V/C/R/P/O in the cell.</param>
/// <param name="Weights">The attention weight of each event; same length as <paramref name="Types"/>.</param>
public sealed record AttentionRow(string Label, IReadOnlyList<EventType> Types, IReadOnlyList<float> Weights);
