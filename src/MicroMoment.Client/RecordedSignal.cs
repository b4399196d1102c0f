namespace MicroMoment.Client;

/// <summary>A recorded tracker signal.</summary>
/// <param name="Name">dwell, hesitation, scroll, ...</param>
/// <param name="Value">Its measurement.</param>
/// <param name="Timestamp">When (UTC).</param>
/// <param name="Page">Page kind.</param>
/// <param name="ProductId">Product, if any.</param>
public sealed record RecordedSignal(string Name, double? Value, DateTime Timestamp, string? Page, long ProductId);
